/**
 * `portfolio.check` (seed 004, step 9): whether a customer owes anything before an after-sales change
 * goes ahead. The reads are lib/portfolio.ts; what counts as owed is domain/billing/portfolio.ts. A read
 * only, so a retry simply reads again; the workflow records the answer it acted on.
 */
import type { Knex } from 'knex';
import { portfolioStanding } from '../../domain/billing/portfolio';
import { portfolioStore } from '../../lib/portfolio';
import type { ProcessActivity } from '../context';
import { requireString } from './support';

export function createPortfolioActivities({ db }: { db: Knex }): Record<string, ProcessActivity> {
  return {
    async 'portfolio.check'(input) {
      const taxId = requireString(input, 'customerTaxId');
      const [invoices, subscriptions] = await Promise.all([portfolioStore.openInvoices(db, taxId), portfolioStore.subscriptions(db, taxId)]);
      return { ...portfolioStanding(invoices, subscriptions, new Date()), checkedAt: new Date().toISOString() };
    },
  };
}
