/** SQL for digital accounts (seed 000): the account with its states, subscription, items and invoices. */
import type { Knex } from 'knex';

export interface AccountRow {
  id: string;
  email: string;
  rut: string;
  name: string;
  plan_code: string;
  kind: 'trial' | 'freemium';
  status: 'trial' | 'active' | 'suspended';
  channel: string;
  base_price: string;
  currency: string;
  conversion_state: string;
  payment_state: string;
  operation_state: string;
  trial_ends_at: Date | null;
  renewal_due_at: Date | null;
  first_paid_at: Date | null;
  opportunity_id: string | null;
  contact_id: string | null;
  company_id: string | null;
  owner_id: string | null;
  created_at: Date;
}

export interface ItemRow { module_code: string; price: string; status: string; activated_at: Date; paid_at: Date | null; revoked_at: Date | null }
export interface InvoiceRow {
  id: string; number: number; kind: string | null; channel: string; seller_name: string | null; seller_source: string | null; amount: string; currency: string; issued_at: Date;
}
export interface InvoiceLineRow { invoice_id: string; description: string; module_code: string | null; amount: string }
export interface StateChangeRow { dimension: string; from_status: string; to_status: string; reason: string | null; actor: string | null; at: Date }
export interface SaleInstanceRow {
  id: string; definition_id: string; version: number; status: string; stage: string | null; outcome: string | null; started_at: Date; ended_at: Date | null;
}
export interface SubscriptionRow { plan_code: string; status: string; base_price: string; periodicity: string }


export function createAccountStore(db: Knex) {
  return {
    /** Runs `read` in one repeatable-read, read-only transaction: every part it reads agrees with the others. */
    snapshot<T>(read: (q: Knex.Transaction) => Promise<T>): Promise<T> {
      return db.transaction(read, { isolationLevel: 'repeatable read', readOnly: true });
    },
    async get(id: string, q: Knex | Knex.Transaction = db): Promise<AccountRow | null> {
      return ((await q('accounts').where({ id }).first()) as AccountRow | undefined) ?? null;
    },
    async byEmail(email: string): Promise<AccountRow | null> {
      return ((await db('accounts').where({ email: email.toLowerCase() }).first()) as AccountRow | undefined) ?? null;
    },
    /** The account a process created (accounts.instance_id), so a signup never reports another's. */
    async byProcess(processId: string): Promise<AccountRow | null> {
      return ((await db('accounts').where({ instance_id: processId }).first()) as AccountRow | undefined) ?? null;
    },
    async plan(code: string): Promise<{ code: string; kind: string; active: boolean } | null> {
      return (await db('plans').where({ code }).first('code', 'kind', 'active')) ?? null;
    },
    async unknownModules(codes: string[]): Promise<string[]> {
      const known: string[] = await db('modules').whereIn('code', codes).pluck('code');
      return codes.filter((c) => !known.includes(c));
    },
    /** Everything about one account, read from `q` (a repeatable-read transaction keeps the parts consistent). */
    async details(accountId: string, businessKey: string, q: Knex | Knex.Transaction = db) {
      const [subscription, items, invoices, lines, history, processes] = await Promise.all([
        q('subscriptions').where({ account_id: accountId }).first(),
        q('subscription_items').where({ account_id: accountId }).orderBy(['activated_at', 'module_code']),
        q('invoices').where({ account_id: accountId }).orderBy('number'),
        q('invoice_lines').join('invoices', 'invoices.id', 'invoice_lines.invoice_id').where('invoices.account_id', accountId)
          .orderBy(['invoice_lines.invoice_id', 'line_no']).select('invoice_lines.*'),
        q('status_changes').where({ entity: 'account', entity_id: accountId }).orderBy('id'),
        q('process_instances').where({ business_key: businessKey }).orderBy('started_at')
          .select('id', 'definition_id', 'version', 'status', 'stage', 'outcome', 'started_at', 'ended_at'),
      ]);
      return {
        subscription: subscription as SubscriptionRow | undefined,
        items: items as ItemRow[],
        invoices: invoices as InvoiceRow[],
        lines: lines as InvoiceLineRow[],
        history: history as StateChangeRow[],
        processes: processes as SaleInstanceRow[],
      };
    },
  };
}
