/**
 * The store of a new digital account (seed 000): its `accounts` row and its `subscriptions` row, written
 * together. The account processes' createTrial / createFreemium (activities/domain/accounts.ts) and the
 * demo data (lib/demo-data.ts) open accounts through it, so a demo account is the rows a signup makes.
 * The states it opens with are domain/accounts' OPENING_STATES; the checks before it (input, plan, a
 * taken email) and their failures are the callers'.
 */
import type { Knex } from 'knex';
import { OPENING_STATES, type AccountKind } from '../domain/accounts';

type Db = Knex | Knex.Transaction;

export interface PlanRow {
  code: string; kind: string; trial_days: number | null; active: boolean; base_price: string; currency: string; periodicity: string;
}

export interface OpenedAccountRow {
  id: string; email: string; plan_code: string; kind: string; status: string; trial_ends_at: Date | null; created_at: Date;
}

export interface NewAccount {
  /** Only the demo data names the id (its shipped example refers to it); otherwise the database picks one. */
  id?: string;
  kind: AccountKind;
  plan: PlanRow;
  /** Lower-cased. */
  email: string;
  /** Normalised (`76086428-5`). */
  rut: string;
  name: string;
  channel: string;
  /** The sale this account belongs to (docs/DIGITAL-SALE.md) and its contact, company and owner; null outside the funnel. */
  opportunityId: string | null;
  contactId: string | null;
  companyId: string | null;
  ownerId: string | null;
  /** A trial's end (a time, or SQL's clock), also its subscription's first period end; none for freemium. */
  trialEndsAt?: Date | Knex.Raw | null;
  /** The process whose step opened it; null for the demo data. */
  instanceId: string | null;
  /** The idempotency key of both rows: opening again with it returns the first account. */
  key: string;
}

async function insertOnce<Row>(db: Db, table: string, row: Record<string, unknown> & { idempotency_key: string }): Promise<Row> {
  const [inserted] = await db(table).insert(row).onConflict('idempotency_key').ignore().returning('*');
  return (inserted ?? (await db(table).where({ idempotency_key: row.idempotency_key }).first())) as Row;
}

export const accountStore = {
  async plan(db: Db, code: string): Promise<PlanRow | undefined> {
    return (await db('plans').where({ code }).first()) as PlanRow | undefined;
  },

  async byKey(db: Db, key: string): Promise<OpenedAccountRow | undefined> {
    return (await db('accounts').where({ idempotency_key: key }).first()) as OpenedAccountRow | undefined;
  },

  /** The id of the account that has this (lower-cased) email, if any. */
  async idByEmail(db: Db, email: string): Promise<string | undefined> {
    return ((await db('accounts').where({ email }).first('id')) as { id: string } | undefined)?.id;
  },

  /**
   * The account, on the plan's price and currency with the states its kind opens with, and its
   * subscription. Pass a transaction so both (and whatever must go with them, e.g. the opportunity's
   * link to the account) commit together. A taken email is the unique violation `accounts_email_unique`.
   */
  async open(trx: Knex.Transaction, a: NewAccount): Promise<OpenedAccountRow> {
    const states = OPENING_STATES[a.kind];
    const trialEndsAt = a.trialEndsAt ?? null;
    const account = await insertOnce<OpenedAccountRow>(trx, 'accounts', {
      ...(a.id ? { id: a.id } : {}),
      email: a.email,
      rut: a.rut,
      name: a.name,
      channel: a.channel,
      opportunity_id: a.opportunityId,
      contact_id: a.contactId,
      company_id: a.companyId,
      owner_id: a.ownerId,
      plan_code: a.plan.code,
      kind: a.kind,
      status: states.activation,
      conversion_state: states.conversion,
      operation_state: states.operation,
      trial_ends_at: trialEndsAt,
      base_price: a.plan.base_price,
      currency: a.plan.currency,
      instance_id: a.instanceId,
      idempotency_key: a.key,
    });
    await insertOnce(trx, 'subscriptions', {
      account_id: account.id, plan_code: a.plan.code, base_price: a.plan.base_price, currency: a.plan.currency, periodicity: a.plan.periodicity,
      status: states.subscription, current_period_end: trialEndsAt, idempotency_key: a.key,
    });
    return account;
  },
};
