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
  amount: string; currency: string; issued_at: Date; description: string;
  /** Renewals' (migration 014): when it is due. */
  due_at: Date | null;
  /** Seed 001's lifecycle (migration 027): draft → issued → sent → paid, overdue or void; issued for every other invoice. */
  status: string;
  /** Seed 001: the customer and the accepted estimate the invoice came from. */
  customer_id: string | null;
  estimate_id: string | null;
  paid_at: Date | null;
  /** Seed 001 (migration 030): the gateway's payment page opened for it. */
  gateway: string | null;
  gateway_payment_id: string | null;
  payment_url: string | null;
}

export interface NewInvoice {
  account_id?: string | null;
  customer_id?: string | null;
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
  customer_id?: string | null;
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

/**
 * The next invoice number, in the transaction that writes the invoice (migration 028): the counter row
 * stays locked until it commits, and a rollback gives the number back, so numbers have no gaps.
 */
export async function takeFolio(db: Db): Promise<number> {
  const [{ last }] = await db('invoice_folio').where({ series: 'invoice' }).increment('last', 1).returning('last');
  return last;
}

async function insertLines(db: Db, invoiceId: string, lines: readonly BillLine[]): Promise<void> {
  if (!lines.length) return;
  await db('invoice_lines').insert(lines.map((l, i) => ({ invoice_id: invoiceId, line_no: i + 1, description: l.description, module_code: l.moduleCode, amount: l.amount })));
}

export const invoiceStore = {
  async byKey(db: Db, key: string): Promise<InvoiceRow | undefined> {
    return (await db('invoices').where({ idempotency_key: key }).first()) as InvoiceRow | undefined;
  },

  async byId(db: Db, id: string): Promise<InvoiceRow | undefined> {
    return (await db('invoices').where({ id }).first()) as InvoiceRow | undefined;
  },

  async byOrder(db: Db, orderId: string): Promise<InvoiceRow> {
    return (await db('invoices').where({ order_id: orderId }).first()) as InvoiceRow;
  },

  /**
   * A new invoice with the next number, once per key (a retry gets the first attempt's row). The key is
   * looked up with the counter locked, so a repeat never takes a number it does not use.
   */
  async issue(db: Db, invoice: NewInvoice, lines: readonly BillLine[] = []): Promise<InvoiceRow> {
    return db.transaction(async (trx) => {
      await trx('invoice_folio').where({ series: 'invoice' }).forUpdate().first();
      const earlier = await invoiceStore.byKey(trx, invoice.idempotency_key);
      if (earlier) return earlier;
      const [inserted] = (await trx('invoices').insert({ ...invoice, number: await takeFolio(trx) }).returning('*')) as InvoiceRow[];
      await insertLines(trx, inserted.id, lines);
      return inserted;
    });
  },

  /** A draft (seed 001): no number and no issue date until it is issued; once per key. */
  async draft(db: Db, invoice: NewInvoice & { customer_id: string; estimate_id: string }, lines: readonly BillLine[]): Promise<InvoiceRow> {
    const [inserted] = (await db('invoices').insert({ ...invoice, status: 'draft', number: null, issued_at: null }).onConflict('idempotency_key').ignore().returning('*')) as InvoiceRow[];
    if (!inserted) return (await invoiceStore.byKey(db, invoice.idempotency_key))!;
    await insertLines(db, inserted.id, lines);
    return inserted;
  },

  /**
   * Issues a draft: the next number and today's date, status issued. An invoice already issued is
   * answered as it is (a retry); null when there is no such invoice.
   */
  async issueDraft(db: Db, id: string): Promise<InvoiceRow | null> {
    return db.transaction(async (trx) => {
      await trx('invoice_folio').where({ series: 'invoice' }).forUpdate().first();
      const row = (await trx('invoices').where({ id }).forUpdate().first()) as InvoiceRow | undefined;
      if (!row || row.status !== 'draft') return row ?? null;
      const [issued] = (await trx('invoices').where({ id }).update({ status: 'issued', number: await takeFolio(trx), issued_at: trx.fn.now() }).returning('*')) as InvoiceRow[];
      return issued;
    });
  },

  /** Moves an invoice on in its lifecycle when it is in one of `from`; the row either way. */
  async advance(db: Db, id: string, from: readonly string[], to: string): Promise<InvoiceRow | null> {
    await db('invoices').where({ id }).whereIn('status', from).update({ status: to });
    return ((await db('invoices').where({ id }).first()) as InvoiceRow | undefined) ?? null;
  },

  /** Invoices newest first (drafts last, having no date yet), by customer and status. */
  async list(db: Db, f: { customerId?: string; status?: string; limit: number; offset: number }): Promise<{ rows: InvoiceRow[]; total: number }> {
    const q = db('invoices');
    if (f.customerId) q.where({ customer_id: f.customerId });
    if (f.status) q.where({ status: f.status });
    const [{ count }] = await q.clone().count<{ count: string }[]>('* as count');
    const rows = (await q.orderByRaw('issued_at desc nulls last, number desc nulls last, id').limit(f.limit).offset(f.offset)) as InvoiceRow[];
    return { rows, total: Number(count) };
  },

  /** A customer's invoices as the portal shows them: issued ones (never drafts), newest first. */
  async forCustomer(db: Db, customerId: string): Promise<InvoiceRow[]> {
    return (await db('invoices').where({ customer_id: customerId }).whereNot({ status: 'draft' }).orderBy([{ column: 'issued_at', order: 'desc' }, { column: 'number', order: 'desc' }])) as InvoiceRow[];
  },

  /** The gateway's payment page of an invoice, kept the first time it is opened; the row either way. */
  async setPaymentPage(db: Db, id: string, page: { gateway: string; id: string; url: string }): Promise<InvoiceRow | undefined> {
    await db('invoices').where({ id }).whereNull('payment_url').update({ gateway: page.gateway, gateway_payment_id: page.id, payment_url: page.url });
    return invoiceStore.byId(db, id);
  },

  /**
   * A seed-001 invoice paid: the payment (once per key) and the invoice marked paid by it, in one
   * transaction. An invoice paid before keeps its first payment (the row is answered as it is).
   */
  async pay(db: Knex, id: string, payment: NewPayment & { customer_id: string }): Promise<{ invoice: InvoiceRow; paymentId: string; firstPayment: boolean }> {
    return db.transaction(async (trx) => {
      const invoice = (await trx('invoices').where({ id }).forUpdate().first()) as InvoiceRow;
      const recorded = await paymentStore.record(trx, payment);
      if (invoice.status === 'paid') return { invoice, paymentId: recorded.id, firstPayment: false };
      const [paid] = (await trx('invoices').where({ id }).update({ status: 'paid', paid_at: payment.paid_at, payment_id: recorded.id }).returning('*')) as InvoiceRow[];
      return { invoice: paid, paymentId: recorded.id, firstPayment: true };
    });
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
