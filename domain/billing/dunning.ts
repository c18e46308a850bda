/**
 * What happens after a renewal invoice is issued and not paid (dunning). Chosen here because the seed
 * is silent: the invoice is due 5 days after it is issued; an unpaid invoice gets a reminder on its due
 * day; 5 more days of grace follow; then the subscription (and its account) is suspended until paid.
 */
export interface DunningPolicy {
  dueAfterMs: number;
  graceMs: number;
}

const DAY = 24 * 60 * 60 * 1000;
export const DUNNING: DunningPolicy = { dueAfterMs: 5 * DAY, graceMs: 5 * DAY };

/**
 * The e-mails the billing workflow sends, and the data each one gets. Declared here, not in YAML, because
 * the billing workflow is code; test/unit/billing-templates.test.ts holds every template to this data, as
 * deploy does for a definition's notifications.
 */
export const BILLING_MAIL_DATA = ['accountName', 'invoiceNumber', 'amount', 'currency', 'dueAt', 'periodStart'] as const;
export const BILLING_TEMPLATES = ['renewal-issued', 'renewal-issued-pay-online', 'renewal-reminder', 'subscription-suspended', 'subscription-reactivated'] as const;
export type BillingTemplate = (typeof BILLING_TEMPLATES)[number];
/** What a template gets beyond BILLING_MAIL_DATA: the gateway's page of a renewal that has one. */
export const BILLING_MAIL_EXTRA: Partial<Record<BillingTemplate, readonly string[]>> = { 'renewal-issued-pay-online': ['paymentUrl'] };
