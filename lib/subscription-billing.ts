/**
 * The renewal store: every read and write of a subscription's renewal invoices (kind `renewal`, one per
 * subscription and period by the unique index of migration 014). The billing workflow's activities,
 * the payment webhook (an account's open renewal) and the bench use it.
 */
import type { Knex } from 'knex';
import { billingPeriod, DUNNING, type BillLine } from '../domain/billing';
import { DIGITAL_CHANNEL } from '../domain/channels';
import { invoiceStore, type InvoiceRow } from './billing';

type Db = Knex | Knex.Transaction;

export interface RenewalRow extends InvoiceRow {
  subscription_id: string; period_index: number; period_start: Date; period_end: Date; due_at: Date; paid_at: Date | null; account_id: string | null;
}

/**
 * A subscription of a digital account (seed 000: account and plan), or of a customer without one (seed
 * 004: the business that bought a product through a work order, named on the subscription itself).
 */
export interface SubscriptionRow {
  id: string; account_id: string | null; plan_code: string | null; base_price: string; currency: string; status: string;
  billing_anchor_at: Date | null; billing_zone: string;
  customer_tax_id: string | null; customer_name: string | null; customer_email: string | null; product: string | null;
  /** Seed 001's customer, whose renewals are theirs (migration 031). */
  customer_id: string | null;
  channel: string | null; seller_name: string | null;
}

/** Who a subscription bills and where its e-mails go. */
export interface BilledCustomer { taxId: string; name: string; email: string }

export async function billedCustomer(db: Db, sub: SubscriptionRow): Promise<BilledCustomer> {
  if (!sub.account_id) return { taxId: sub.customer_tax_id!, name: sub.customer_name!, email: sub.customer_email! };
  const account = await db('accounts').where({ id: sub.account_id }).first('rut', 'name', 'email');
  return { taxId: account.rut, name: account.name, email: account.email };
}

/** What the invoice calls what is renewed: the product sold, or the account's plan. */
const renewed = (sub: SubscriptionRow): string => sub.product ?? `Plan ${sub.plan_code}`;

/** The idempotency key of a period's renewal invoice: the subscription and the period, nothing else. */
export const renewalKey = (subscriptionId: string, periodIndex: number): string => `renewal:${subscriptionId}:${periodIndex}`;

export async function subscriptionById(db: Db, id: string): Promise<SubscriptionRow | undefined> {
  return (await db('subscriptions').where({ id }).first()) as SubscriptionRow | undefined;
}

/** What a renewal bills: the base plan and every paid monthly module, at the prices they were sold at. */
export async function renewalLines(db: Db, sub: SubscriptionRow): Promise<BillLine[]> {
  const lines: BillLine[] = [];
  if (Number(sub.base_price) > 0) lines.push({ description: `${renewed(sub)}: renovación`, moduleCode: null, amount: Number(sub.base_price) });
  const items: Array<{ module_code: string; price: string }> = await db('subscription_items')
    .where({ subscription_id: sub.id, status: 'paid' })
    .orderBy(['activated_at', 'module_code'])
    .select('module_code', 'price');
  for (const i of items) lines.push({ description: `Módulo ${i.module_code}: renovación`, moduleCode: i.module_code, amount: Number(i.price) });
  return lines;
}

export const renewalStore = {
  async byPeriod(db: Db, subscriptionId: string, periodIndex: number): Promise<RenewalRow | undefined> {
    return (await db('invoices').where({ subscription_id: subscriptionId, period_index: periodIndex }).first()) as RenewalRow | undefined;
  },

  async byId(db: Db, id: string): Promise<RenewalRow | undefined> {
    return (await db('invoices').where({ id }).whereNotNull('subscription_id').first()) as RenewalRow | undefined;
  },

  /** The account's oldest unpaid renewal: what a payment of a paying account pays. */
  async openFor(db: Db, accountId: string): Promise<RenewalRow | undefined> {
    return (await db('invoices').where({ account_id: accountId, kind: 'renewal' }).whereNull('paid_at').orderBy('period_index').first()) as RenewalRow | undefined;
  },

  /**
   * Issues period `periodIndex` of the subscription once: a retry, a second worker or a replayed
   * workflow gets the row the first one wrote (the key and the (subscription, period) index agree).
   * Runs in the caller's transaction when given one, so the bench and the activity share it.
   */
  async issue(db: Knex, sub: SubscriptionRow, periodIndex: number, customer: Pick<BilledCustomer, 'taxId' | 'name'>): Promise<RenewalRow> {
    const earlier = await renewalStore.byPeriod(db, sub.id, periodIndex);
    if (earlier) return earlier;
    if (!sub.billing_anchor_at) throw new Error(`subscription ${sub.id} has no billing anchor (it was never paid)`);
    const period = billingPeriod(sub.billing_anchor_at, periodIndex, sub.billing_zone);
    return db.transaction(async (trx) => {
      // Two issuers of the same period (a retry racing the first attempt) queue on the subscription's
      // row: the second finds the first one's invoice, and neither takes a folio it does not use.
      await trx('subscriptions').where({ id: sub.id }).forUpdate().first('id');
      const raced = await renewalStore.byPeriod(trx, sub.id, periodIndex);
      if (raced) return raced;
      const lines = await renewalLines(trx, sub);
      const row = await invoiceStore.issue(trx, {
        account_id: sub.account_id,
        customer_id: sub.customer_id,
        kind: 'renewal',
        customer_tax_id: customer.taxId,
        customer_name: customer.name,
        description: `Renovación ${sub.product ?? `plan ${sub.plan_code}`}, periodo ${periodIndex + 1}`,
        amount: lines.reduce((s, l) => s + l.amount, 0),
        currency: sub.currency,
        channel: sub.channel ?? DIGITAL_CHANNEL,
        // The renewal names the seller of the sale it renews: the subscription's own (seed 004's consultant),
        // else the one seed 000's attribution set at the account's first invoice.
        seller_name: sub.seller_name ?? (sub.account_id ? ((await trx('invoices').where({ account_id: sub.account_id, kind: 'first-period' }).first('seller_name'))?.seller_name ?? null) : null),
        instance_id: `subscription-billing/${sub.id}`,
        idempotency_key: renewalKey(sub.id, periodIndex),
        subscription_id: sub.id,
        period_index: periodIndex,
        period_start: period.start,
        period_end: period.end,
        due_at: new Date(period.start.getTime() + DUNNING.dueAfterMs),
      }, lines);
      return row as RenewalRow;
    });
  },
};
