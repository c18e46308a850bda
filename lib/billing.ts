/**
 * The billing store: every write to `invoices`, `invoice_lines` and `payments` (the checkout, and the
 * `invoices.issue` / `payments.record` activities), and what an account owes now, read for the checkout
 * and for the API (an account's amount due, the payment webhook's check). What it owes is
 * domain/billing's `billFor`; this module only reads its inputs.
 */
import type { Knex } from 'knex';
import { billFor, type Bill, type BillLine } from '../domain/billing';

type Db = Knex | Knex.Transaction;

export interface BillableAccount {
  id: string;
  plan_code: string;
  base_price: string;
}

export interface UnpaidItemRow { id: string; module_code: string; price: string }

/** Whether the account's first period was invoiced: after that, every sale is an upgrade (MRR). */
export async function hasFirstInvoice(db: Db, accountId: string): Promise<boolean> {
  return Boolean(await db('invoices').where({ account_id: accountId, kind: 'first-period' }).first('id'));
}

/**
 * The account's bill now, with the subscription items it charges (the checkout marks them paid).
 * The payment webhook checks amounts against `due`.
 */
export async function billable(db: Db, account: BillableAccount): Promise<Bill & { items: UnpaidItemRow[] }> {
  const firstInvoiced = await hasFirstInvoice(db, account.id);
  const items: UnpaidItemRow[] = await db('subscription_items')
    .where({ account_id: account.id, status: 'activated' })
    .orderBy(['activated_at', 'module_code'])
    .select('id', 'module_code', 'price');
  const bill = billFor(
    { planCode: account.plan_code, basePrice: Number(account.base_price), firstInvoiced },
    items.map((i) => ({ moduleCode: i.module_code, price: Number(i.price) })),
  );
  return { ...bill, items };
}

export interface InvoiceRow {
  id: string; number: number; kind: string | null; channel: string; seller_name: string | null; seller_source: string | null;
  amount: string; currency: string; issued_at: Date;
}

export interface NewInvoice {
  account_id?: string | null;
  work_order_id?: string | null;
  order_id?: string | null;
  kind?: string | null;
  customer_tax_id: string;
  customer_name: string;
  description: string;
  amount: number;
  currency: string;
  channel: string;
  seller_name: string | null;
  seller_source?: string | null;
  instance_id: string;
  idempotency_key: string;
  /** Renewals only (migration 014): the subscription and period the invoice bills, and when it is due. */
  subscription_id?: string;
  period_index?: number;
  period_start?: Date;
  period_end?: Date;
  due_at?: Date;
}

export interface NewPayment {
  account_id: string | null;
  consultant_id?: string | null;
  customer_tax_id?: string | null;
  amount: number;
  currency: string;
  method: string;
  external_reference: string | null;
  paid_at: Date | Knex.Raw;
  instance_id: string;
  idempotency_key: string;
}

export const invoiceStore = {
  async byKey(db: Db, key: string): Promise<InvoiceRow | undefined> {
    return (await db('invoices').where({ idempotency_key: key }).first()) as InvoiceRow | undefined;
  },

  async byOrder(db: Db, orderId: string): Promise<InvoiceRow> {
    return (await db('invoices').where({ order_id: orderId }).first()) as InvoiceRow;
  },

  /**
   * A new invoice, numbered from the one folio sequence, once per key (a retry gets the first attempt's
   * row). Callers look for the key first: an insert that loses to the key still takes a folio.
   */
  async issue(db: Db, invoice: NewInvoice, lines: readonly BillLine[] = []): Promise<InvoiceRow> {
    const [inserted] = (await db('invoices')
      .insert({ ...invoice, number: db.raw(`nextval('invoice_number_seq')`) })
      .onConflict('idempotency_key')
      .ignore()
      .returning('*')) as InvoiceRow[];
    if (!inserted) return (await invoiceStore.byKey(db, invoice.idempotency_key))!;
    if (lines.length) {
      await db('invoice_lines').insert(lines.map((l, i) => ({ invoice_id: inserted.id, line_no: i + 1, description: l.description, module_code: l.moduleCode, amount: l.amount })));
    }
    return inserted;
  },

  async lines(db: Db, invoiceId: string): Promise<BillLine[]> {
    const rows: Array<{ description: string; module_code: string | null; amount: string }> = await db('invoice_lines').where({ invoice_id: invoiceId }).orderBy('line_no');
    return rows.map((l) => ({ description: l.description, moduleCode: l.module_code, amount: Number(l.amount) }));
  },
};

export const paymentStore = {
  /** Once per key: a retry gets the first attempt's row. */
  async record<Row = { id: string }>(db: Db, payment: NewPayment): Promise<Row> {
    const [inserted] = await db('payments').insert(payment).onConflict('idempotency_key').ignore().returning('*');
    return (inserted ?? (await db('payments').where({ idempotency_key: payment.idempotency_key }).first())) as Row;
  },

  async setOrder(db: Db, paymentId: string, orderId: string): Promise<void> {
    await db('payments').where({ id: paymentId }).update({ order_id: orderId });
  },
};
