/**
 * Invoices. Seed 000: a monetising digital sale is invoiced on "Canal Digital", with the seller's name
 * only when the CRM has a commercial owner (crm.lookupClient decides that; the YAML passes it here).
 * Seed 001: a customer's draft invoice is issued (its number taken then, with no gaps), sent, or voided;
 * its payment page is opened at the payment gateway, and the gateway's payment recorded, or the
 * invoice marked overdue when its due date passes unpaid.
 */
import type { Knex } from 'knex';
import { ApplicationFailure } from '@temporalio/activity';
import { gatewayPaymentMismatch, linesMismatch, PAYABLE_STATUSES, savedPaymentMethodOf } from '../../domain/billing';
import { minorUnits } from '../../domain/money';
import { LOCAL_PUBLIC_URL } from '../../lib/config';
import { createCustomerStore } from '../../lib/customers';
import type { PaymentGateway } from '../../lib/payments/gateway';
import { openInvoicePayment } from '../../lib/payments/invoice-payment';
import { DIGITAL_CHANNEL } from '../../domain/channels';
import { invoiceStore, type InvoiceRow } from '../../lib/billing';
import type { ProcessActivity } from '../context';
import { invalid, iso, notFound, optionalString, optionalTimestamp, requireAmount, requireEmail, requireString, requireUuid } from './support';

function result(row: InvoiceRow) {
  return {
    invoiceId: row.id,
    number: row.number,
    status: row.status,
    channel: row.channel,
    sellerName: row.seller_name,
    amount: Number(row.amount),
    currency: row.currency,
    issuedAt: iso(row.issued_at),
    paidAt: iso(row.paid_at),
    paymentUrl: row.payment_url,
  };
}

export interface InvoiceActivityDeps {
  db: Knex;
  /** Where invoice payments are opened (lib/payments/gateways: `opening`); none: no payment page. */
  gateway?: PaymentGateway | null;
  publicUrl?: string;
}

export function createInvoiceActivities({ db, gateway = null, publicUrl = LOCAL_PUBLIC_URL }: InvoiceActivityDeps): Record<string, ProcessActivity> {
  return {
    async 'invoices.issue'(input, ctx) {
      const row = await invoiceStore.issue(db, {
        account_id: optionalString(input, 'accountId'),
        work_order_id: optionalString(input, 'workOrderId'),
        customer_tax_id: requireString(input, 'customerTaxId'),
        customer_name: requireString(input, 'customerName'),
        description: requireString(input, 'description'),
        amount: requireAmount(input, 'amount', { allowZero: true }),
        currency: (optionalString(input, 'currency') ?? 'CLP').toUpperCase(),
        channel: optionalString(input, 'channel') ?? DIGITAL_CHANNEL,
        seller_name: optionalString(input, 'sellerName'),
        instance_id: ctx.instanceId,
        idempotency_key: ctx.key,
      });
      return result(row);
    },

    async 'invoices.issueDraft'(input) {
      const id = requireUuid(input, 'invoiceId');
      // Refused before a number is taken: a number, once issued, is never given back.
      const draft = await invoiceStore.byId(db, id);
      const wrong = draft && linesMismatch(Number(draft.amount), await invoiceStore.lines(db, id));
      if (wrong) throw ApplicationFailure.nonRetryable(`invoice ${id} cannot be issued: ${wrong}`, 'TotalsMismatch', { invoiceId: id });
      const row = await invoiceStore.issueDraft(db, id);
      if (!row) throw notFound('invoice', id);
      if (row.status === 'void') throw invalid('invoiceId', `invoice ${id} is void: it cannot be issued`);
      return result(row);
    },

    async 'invoices.markSent'(input) {
      return result(await advance(input, ['issued'], 'sent', ['sent', 'paid', 'overdue']));
    },

    async 'invoices.void'(input) {
      return result(await advance(input, ['draft', 'issued', 'sent', 'overdue'], 'void', ['void']));
    },

    async 'invoices.markOverdue'(input) {
      return result(await advance(input, ['issued', 'sent'], 'overdue', ['overdue', 'paid']));
    },

    async 'invoices.openPayment'(input) {
      const id = requireUuid(input, 'invoiceId');
      const customerEmail = requireEmail(input, 'customerEmail');
      const invoice = await invoiceStore.byId(db, id);
      if (!invoice) throw notFound('invoice', id);
      if (!invoice.payment_url && !PAYABLE_STATUSES.includes(invoice.status)) throw invalid('invoiceId', `invoice ${id} is ${invoice.status}: only an issued, unpaid invoice is paid online`);
      // No gateway here: the invoice is paid by other means, and says nothing of a page.
      return result(await openInvoicePayment(db, gateway, invoice, customerEmail, publicUrl));
    },

    async 'invoices.recordPayment'(input, ctx) {
      const id = requireUuid(input, 'invoiceId');
      const invoice = await invoiceStore.byId(db, id);
      if (!invoice) throw notFound('invoice', id);
      if (!invoice.customer_id) throw invalid('invoiceId', `invoice ${id} has no customer: only a customer's invoice is paid here`);
      const paid = { amountMinor: Number(input.amountMinor), currency: requireString(input, 'currency').toUpperCase() };
      const wrong = gatewayPaymentMismatch(paid, { amountMinor: minorUnits(invoice.amount), currency: invoice.currency });
      if (wrong) throw invalid('amountMinor', `the payment does not pay invoice ${invoice.number}: ${wrong}`);
      const { invoice: row, paymentId, firstPayment } = await invoiceStore.pay(db, id, {
        account_id: null, customer_id: invoice.customer_id, amount: paid.amountMinor / 100, currency: paid.currency,
        method: requireString(input, 'gateway'), external_reference: requireString(input, 'paymentId'),
        paid_at: optionalTimestamp(input, 'paidAt') ?? db.fn.now(), instance_id: ctx.instanceId, idempotency_key: ctx.key,
      });
      // The card the first payment saved is charged for the renewals (activities/subscription-billing.ts).
      const saved = savedPaymentMethodOf(input.savedMethod);
      if (saved) await createCustomerStore(db).savePaymentMethod(invoice.customer_id, saved);
      return { ...result(row), paymentId, firstPayment };
    },
  };

  /** Moves the invoice from one of `from` to `to`; already there (or past it: `done`) is a retry, anything else InvalidInput. */
  async function advance(input: Record<string, unknown>, from: readonly string[], to: string, done: readonly string[]) {
    const id = requireUuid(input, 'invoiceId');
    const row = await invoiceStore.advance(db, id, from, to);
    if (!row) throw notFound('invoice', id);
    if (!done.includes(row.status)) throw invalid('invoiceId', `invoice ${id} is ${row.status}: it cannot become ${to}`);
    return row;
  }
}
