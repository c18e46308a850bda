/** Billing (seed 000): what an account owes, and whether a payment pays it. */
export { billFor, type Bill, type BillLine, type SaleKind, type UnpaidModule } from './bill';
export { AMOUNT_TOLERANCE, amountMatches, paymentMismatch, sameCurrency } from './payment';
