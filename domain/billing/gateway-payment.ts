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
  /** The card the payment saved for later charges without the customer (the first Checkout payment). */
  savedMethod?: SavedPaymentMethod | null;
}

/**
 * A payment method kept at the gateway, charged later without the customer present (off-session): the
 * gateway's customer and its method, as the gateway names them.
 */
export interface SavedPaymentMethod {
  gateway: string;
  customerRef: string;
  methodRef: string;
}

/** A saved method as a payload carries it, or null when it carries none (or not all of one). */
export function savedPaymentMethodOf(value: unknown): SavedPaymentMethod | null {
  if (!value || typeof value !== 'object') return null;
  const { gateway, customerRef, methodRef } = value as Record<string, unknown>;
  const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 255;
  return text(gateway) && text(customerRef) && text(methodRef) ? { gateway, customerRef, methodRef } : null;
}

/**
 * The one key of a gateway's payment of a renewal: the webhook's signal and the automatic charge name the
 * same payment alike, so the billing workflow takes it once.
 */
export const gatewayPaymentKey = (gateway: string, paymentId: string): string => `${gateway}:${paymentId}`;

/** Why a reported payment does not pay the invoice, or null when it does: exactly, in minor units. */
export function gatewayPaymentMismatch(paid: { amountMinor: number; currency: string }, due: { amountMinor: number; currency: string }): string | null {
  if (paid.currency.toUpperCase() !== due.currency.toUpperCase()) return `paid in ${paid.currency}, the invoice is in ${due.currency}`;
  if (paid.amountMinor !== due.amountMinor) return `paid ${paid.amountMinor} minor units, the invoice is for ${due.amountMinor}`;
  return null;
}
