/**
 * What an account owes now: the one rule the checkout activity bills by and the API (amount due on
 * an account, the payment webhook's amount check) reads, so the two can never disagree.
 */
import type { Knex } from 'knex';

export interface BillableAccount {
  id: string;
  plan_code: string;
  base_price: string;
}

export interface BillableLine {
  description: string;
  module_code: string | null;
  amount: number;
}

/** Whether the account's first period was invoiced: after that, every sale is an upgrade (MRR). */
export async function hasFirstInvoice(db: Knex | Knex.Transaction, accountId: string): Promise<boolean> {
  return Boolean(await db('invoices').where({ account_id: accountId, kind: 'first-period' }).first('id'));
}

/**
 * What a payment of the account pays now: the base plan's first period while the account has no first
 * invoice, plus every activated, unpaid module. The payment webhook checks amounts against `due`.
 */
export async function billable(db: Knex | Knex.Transaction, account: BillableAccount) {
  const first = !(await hasFirstInvoice(db, account.id));
  const items: Array<{ id: string; module_code: string; price: string }> = await db('subscription_items')
    .where({ account_id: account.id, status: 'activated' })
    .orderBy(['activated_at', 'module_code']);
  const lines: BillableLine[] = [];
  if (first && Number(account.base_price) > 0) {
    lines.push({ description: `Plan ${account.plan_code}: primer periodo`, module_code: null, amount: Number(account.base_price) });
  }
  for (const item of items) lines.push({ description: `Módulo ${item.module_code}`, module_code: item.module_code, amount: Number(item.price) });
  return { first, items, lines, due: lines.reduce((sum, l) => sum + l.amount, 0) };
}
