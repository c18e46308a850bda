/**
 * The reads behind a portfolio check (domain/billing/portfolio.ts decides what they mean): a customer's
 * open invoices, and the subscriptions those invoices bill, found by the customer's tax id in its compact
 * form. Subscriptions are reached through their renewals' invoices, which carry the tax id whether the
 * subscription belongs to a digital account or to a work order's customer.
 */
import type { Knex } from 'knex';
import { compactTaxId, type PortfolioInvoice, type PortfolioSubscription } from '../domain/billing/portfolio';
import { toIso } from './time';

const COMPACT = `upper(regexp_replace(customer_tax_id, '[.[:space:]-]', '', 'g'))`;

export const portfolioStore = {
  async openInvoices(db: Knex, taxId: string): Promise<PortfolioInvoice[]> {
    const rows = await db('invoices')
      .whereRaw(`${COMPACT} = ?`, [compactTaxId(taxId)])
      .whereNull('paid_at')
      .whereNot({ status: 'draft' })
      .select('number', 'description', 'amount', 'currency', 'due_at', 'paid_at');
    return rows.map((r) => ({ number: r.number, description: r.description, amount: Number(r.amount), currency: r.currency, dueAt: toIso(r.due_at), paidAt: null }));
  },

  async subscriptions(db: Knex, taxId: string): Promise<PortfolioSubscription[]> {
    const billed = db('invoices').whereRaw(`${COMPACT} = ?`, [compactTaxId(taxId)]).whereNotNull('subscription_id').distinct('subscription_id');
    const rows = await db('subscriptions').whereIn('id', billed).select('id', 'plan_code', 'status').orderBy('id');
    return rows.map((r) => ({ subscriptionId: r.id, planCode: r.plan_code, status: r.status }));
  },
};
