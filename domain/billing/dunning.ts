/**
 * What happens after a renewal invoice is issued and not paid (dunning). Chosen here because the seed
 * is silent: the invoice is due 5 days after it is issued; an unpaid invoice gets a reminder on its due
 * day; 5 more days of grace follow; then the subscription (and its account) is suspended until paid.
 *
 * A customer with a card saved at the gateway (seed 001) is also charged automatically, as Stripe's own
 * subscriptions retry: when the renewal is issued, again on its due day, and once more 3 days into the
 * grace period. A declined first charge is e-mailed with the reason and the page to pay by hand.
 */
export interface DunningPolicy {
  dueAfterMs: number;
  graceMs: number;
  /** When the last automatic charge is tried, after the due day (inside the grace period). */
  lastChargeAfterDueMs: number;
  /** How long a charge the gateway accepted is waited for (its webhook pays the invoice) before dunning goes on. */
  chargeSettleMs: number;
}

const DAY = 24 * 60 * 60 * 1000;
export const DUNNING: DunningPolicy = { dueAfterMs: 5 * DAY, graceMs: 5 * DAY, lastChargeAfterDueMs: 3 * DAY, chargeSettleMs: 10 * 60 * 1000 };

/**
 * The e-mails the billing workflow sends, and the data each one gets. Declared here, not in YAML, because
 * the billing workflow is code; test/unit/billing-templates.test.ts holds every template to this data, as
 * deploy does for a definition's notifications.
 */
export const BILLING_MAIL_DATA = ['accountName', 'invoiceNumber', 'amount', 'currency', 'dueAt', 'periodStart'] as const;
export const BILLING_TEMPLATES = ['renewal-issued', 'renewal-issued-pay-online', 'renewal-charge-failed', 'renewal-reminder', 'subscription-suspended', 'subscription-reactivated'] as const;
export type BillingTemplate = (typeof BILLING_TEMPLATES)[number];
/** What a template gets beyond BILLING_MAIL_DATA: the gateway's page of a renewal that has one, and why its card was declined. */
export const BILLING_MAIL_EXTRA: Partial<Record<BillingTemplate, readonly string[]>> = { 'renewal-issued-pay-online': ['paymentUrl'], 'renewal-charge-failed': ['paymentUrl', 'failure'] };
