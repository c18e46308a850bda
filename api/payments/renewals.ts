/**
 * Paying a renewal invoice: the amount and currency are checked against the invoice (domain/billing's
 * rule) before anything is recorded, then the payment goes to the subscription's billing workflow as its
 * `renewalPayment` signal. The workflow applies a payment key once, so a retry whose record was lost
 * changes nothing. Used by the account webhook (an account's oldest open renewal) and by
 * `POST /api/invoices/:id/payments` (a customer's renewal, seed 004).
 */
import type { Client } from '@temporalio/client';
import { paymentMismatch, type SavedPaymentMethod } from '../../domain/billing';
import type { RenewalRow } from '../../lib/subscription-billing';
import { renewalPaymentSignal, subscriptionBillingWorkflowId } from '../../workflows/subscription-billing';
import { invalidFields } from '../errors';

export interface RenewalPaymentBody { amount: number; currency: string; method: string; transactionId: string; paidAt?: string; savedMethod?: SavedPaymentMethod | null }

/** Checks the payment against the renewal and signals its billing workflow; answers the workflow's id. */
export async function sendRenewalPayment(temporal: Client, key: string, renewal: RenewalRow, body: RenewalPaymentBody): Promise<string> {
  const due = Number(renewal.amount);
  const mismatch = paymentMismatch(body, { due, currency: renewal.currency });
  if (mismatch === 'currency') {
    throw invalidFields('currency_mismatch', 'body', [{ field: 'currency', message: `${body.currency} is not the currency of invoice ${renewal.number}, ${renewal.currency}` }]);
  }
  if (mismatch === 'amount') {
    throw invalidFields('amount_mismatch', 'body', [{ field: 'amount', message: `${body.amount} ${body.currency} does not match the renewal due, ${due} ${renewal.currency}` }]);
  }
  const workflowId = subscriptionBillingWorkflowId(renewal.subscription_id);
  await temporal.workflow.getHandle(workflowId).signal(renewalPaymentSignal, {
    paymentKey: key, amount: body.amount, currency: body.currency, method: body.method, transactionId: body.transactionId, ...(body.paidAt ? { paidAt: body.paidAt } : {}),
    ...(body.savedMethod ? { savedMethod: body.savedMethod } : {}),
  });
  return workflowId;
}
