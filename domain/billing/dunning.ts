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
