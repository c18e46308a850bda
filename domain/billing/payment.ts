/**
 * Whether a payment pays a bill: the account's currency and the amount due. The payment webhook
 * refuses a mismatch before accepting the payment (422), and the checkout refuses it again before
 * billing, whoever delivered the payment (webhook, operator, an event sent by hand).
 */

/** Amounts are money with cents: within half a cent of each other they are the same amount. */
export const AMOUNT_TOLERANCE = 0.005;

export function amountMatches(paid: number, due: number): boolean {
  return Math.abs(paid - due) <= AMOUNT_TOLERANCE;
}

/** Currencies are ISO 4217 codes; `clp` is `CLP`. */
export function sameCurrency(a: string, b: string): boolean {
  return a.toUpperCase() === b.toUpperCase();
}

/** The first thing that keeps the payment from paying the bill, or null when it pays it exactly. */
export function paymentMismatch(payment: { amount: number; currency: string }, bill: { due: number; currency: string }): 'currency' | 'amount' | null {
  if (!sameCurrency(payment.currency, bill.currency)) return 'currency';
  if (!amountMatches(payment.amount, bill.due)) return 'amount';
  return null;
}
