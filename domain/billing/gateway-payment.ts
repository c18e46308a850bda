/**
 * A customer's invoice paid through a payment gateway (seed 001): the messages the lead's process hears
 * (definitions/lead-to-customer.yaml declares them) and whether a reported payment pays the invoice.
 */

/** The statuses of an invoice that can still be paid (seed 001's lifecycle: issued, sent, overdue). */
export const PAYABLE_STATUSES: readonly string[] = ['issued', 'sent', 'overdue'];

/** A gateway reported the invoice paid. */
export const INVOICE_PAID = 'invoice.paid';
/** A gateway reported a payment attempt of the invoice failed (the customer may try again). */
export const INVOICE_PAYMENT_FAILED = 'invoice.paymentFailed';

/** What both messages carry; their messageId is `<gateway>:<paid|failed>:<paymentId>`. */
export interface GatewayPayment {
  invoiceId: string;
  gateway: string;
  paymentId: string;
  amountMinor: number;
  currency: string;
  at: string;
  failure: string | null;
}

/** Why a reported payment does not pay the invoice, or null when it does: exactly, in minor units. */
export function gatewayPaymentMismatch(paid: { amountMinor: number; currency: string }, due: { amountMinor: number; currency: string }): string | null {
  if (paid.currency.toUpperCase() !== due.currency.toUpperCase()) return `paid in ${paid.currency}, the invoice is in ${due.currency}`;
  if (paid.amountMinor !== due.amountMinor) return `paid ${paid.amountMinor} minor units, the invoice is for ${due.amountMinor}`;
  return null;
}
