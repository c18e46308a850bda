/**
 * Subscriptions of customers without a digital account (seed 004: closing a Mi Negocio Digital work
 * order starts monthly billing of the product to the business that bought it, known by its NIT). Such a
 * subscription names its customer and product itself; an account's subscription keeps its account and
 * plan. One subscription per work order, and its renewals' payments are made by the customer (by tax id).
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('subscriptions', (t) => {
    t.uuid('account_id').nullable().alter();
    t.text('plan_code').nullable().alter();
    t.uuid('work_order_id').unique().references('work_orders.id');
    t.text('customer_tax_id');
    t.text('customer_name');
    t.text('customer_email');
    t.text('product');
    t.text('channel');
    t.text('seller_name');
    t.text('instance_id');
  });
  await db.raw(`alter table subscriptions add constraint subscriptions_owner_check check (
    (account_id is not null and plan_code is not null)
    or (account_id is null and customer_tax_id is not null and customer_name is not null and customer_email is not null and product is not null and channel is not null))`);

  await db.schema.alterTable('payments', (t) => {
    t.text('customer_tax_id');
  });
  await db.raw('alter table payments drop constraint payments_payer_check');
  await db.raw('alter table payments add constraint payments_payer_check check (num_nonnulls(account_id, consultant_id, customer_tax_id) = 1)');
}

export async function down(db: Knex): Promise<void> {
  await db('payments').whereNotNull('customer_tax_id').delete();
  await db.raw('alter table payments drop constraint payments_payer_check');
  await db.raw('alter table payments add constraint payments_payer_check check (num_nonnulls(account_id, consultant_id) = 1)');
  await db.schema.alterTable('payments', (t) => t.dropColumn('customer_tax_id'));
  await db.raw('alter table subscriptions drop constraint subscriptions_owner_check');
  const customers = db('subscriptions').whereNull('account_id').select('id');
  await db('invoices').whereIn('subscription_id', customers).delete();
  await db('subscriptions').whereNull('account_id').delete();
  await db.schema.alterTable('subscriptions', (t) => {
    t.dropColumns('work_order_id', 'customer_tax_id', 'customer_name', 'customer_email', 'product', 'channel', 'seller_name', 'instance_id');
  });
  await db.raw('alter table subscriptions alter column account_id set not null, alter column plan_code set not null');
}
