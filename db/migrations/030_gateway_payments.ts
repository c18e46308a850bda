/**
 * Seed 001: invoices paid through a payment gateway (Stripe; PayPal behind the same interface).
 *
 *   gateway_events  every verified webhook delivery, once per (gateway, event id): a redelivered event
 *                   finds its row and has no second effect. An event whose signature fails is never
 *                   written. `outcome` is what Cauce did with it (delivered, ignored, amount_mismatch…).
 *   payments        a seed-001 customer's payment names the customer (the invoice it paid names it
 *                   back, by invoices.payment_id).
 *   invoices        the gateway's payment page opened for an invoice (one per invoice: a retry of the
 *                   step that opens it gets the same page).
 */
import type { Knex } from 'knex';

const tz = { useTz: true };

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('gateway_events', (t) => {
    t.text('gateway').notNullable();
    t.text('event_id').notNullable();
    t.text('type').notNullable();
    t.uuid('invoice_id').references('invoices.id');
    t.text('payment_id');
    t.text('outcome').notNullable();
    t.text('instance_id');
    t.jsonb('event').notNullable();
    t.timestamp('received_at', tz).notNullable().defaultTo(db.fn.now());
    t.primary(['gateway', 'event_id']);
    t.index(['invoice_id']);
  });
  await db.schema.alterTable('payments', (t) => t.uuid('customer_id').references('customers.id'));
  await db.schema.alterTable('invoices', (t) => {
    t.text('gateway');
    t.text('gateway_payment_id');
    t.text('payment_url');
  });
  await db.raw('alter table payments drop constraint payments_payer_check');
  await db.raw('alter table payments add constraint payments_payer_check check (num_nonnulls(account_id, consultant_id, customer_tax_id, customer_id) = 1)');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('invoices', (t) => t.dropColumns('gateway', 'gateway_payment_id', 'payment_url'));
  await db('payments').whereNotNull('customer_id').delete();
  await db.raw('alter table payments drop constraint payments_payer_check');
  await db.raw('alter table payments add constraint payments_payer_check check (num_nonnulls(account_id, consultant_id, customer_tax_id) = 1)');
  await db.schema.alterTable('payments', (t) => t.dropColumn('customer_id'));
  await db.schema.dropTable('gateway_events');
}
