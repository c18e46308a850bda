/** Billing (seed 000): what an account owes, and whether a payment pays it. */
export { billFor, linesMismatch, type Bill, type BillLine, type SaleKind, type UnpaidModule } from './bill';
export { AMOUNT_TOLERANCE, amountMatches, paymentMismatch, sameCurrency } from './payment';
export { BILLING_ZONES, DEFAULT_BILLING_ZONE, billingPeriod, periodAt, periodKey, periodStart, type BillingCountry, type BillingPeriod } from './periods';
export { BILLING_MAIL_DATA, BILLING_MAIL_EXTRA, BILLING_TEMPLATES, DUNNING, type BillingTemplate, type DunningPolicy } from './dunning';
export { BILLING_KPI, MONTH_PATTERN, billingKpi, monthAt, monthBounds, shiftMonth, type KpiFigures, type KpiVerdict } from './kpi';
export { INVOICE_PAID, INVOICE_PAYMENT_FAILED, PAYABLE_STATUSES, gatewayPaymentKey, gatewayPaymentMismatch, savedPaymentMethodOf, type GatewayPayment, type SavedPaymentMethod } from './gateway-payment';
