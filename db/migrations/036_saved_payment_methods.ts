/**
 * Seed 001: a customer's card kept at the gateway, and the automatic charges of its renewals.
 *
 *   customers        the gateway's customer and payment method saved by the first Checkout payment
 *                    (Stripe: setup_future_usage off_session), the latest payment's replacing it.
 *   renewal_charges  each automatic (off-session) charge of a renewal invoice, once per (invoice,
 *                    attempt): a retried activity finds its row, and the gateway's idempotency key is
 *                    derived from the same pair, so an attempt charges the card at most once.
 */
import type { Knex } from 'knex';

const tz = { useTz: true };

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('customers', (t) => {
    t.text('payment_gateway');
    t.text('gateway_customer_ref');
    t.text('gateway_method_ref');
    t.timestamp('payment_method_saved_at', tz);
  });
  await db.schema.createTable('renewal_charges', (t) => {
    t.uuid('invoice_id').notNullable().references('invoices.id');
    t.integer('attempt').notNullable();
    t.text('gateway').notNullable();
    t.text('payment_ref');
    t.text('outcome').notNullable();
    t.text('failure');
    t.timestamp('charged_at', tz).notNullable().defaultTo(db.fn.now());
    t.primary(['invoice_id', 'attempt']);
  });
  await db.raw("alter table renewal_charges add constraint renewal_charges_outcome_check check (outcome in ('accepted', 'declined'))");
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('renewal_charges');
  await db.schema.alterTable('customers', (t) => t.dropColumns('payment_gateway', 'gateway_customer_ref', 'gateway_method_ref', 'payment_method_saved_at'));
}
