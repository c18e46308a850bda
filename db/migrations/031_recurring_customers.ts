/**
 * Seed 001's recurring billing: which catalog items are billed every month (the plans and extra users,
 * not the one-off implementation or training), and the customer a subscription bills, so its renewal
 * invoices are the customer's (paid through the gateway, shown in the portal).
 */
import type { Knex } from 'knex';

const MONTHLY = ['kontaly-basico', 'kontaly-pro', 'usuario-adicional'];

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('catalog_items', (t) => t.boolean('recurring').notNullable().defaultTo(false));
  await db('catalog_items').whereIn('code', MONTHLY).update({ recurring: true });
  await db.schema.alterTable('subscriptions', (t) => {
    t.uuid('customer_id').references('customers.id');
    t.index(['customer_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('subscriptions', (t) => t.dropColumn('customer_id'));
  await db.schema.alterTable('catalog_items', (t) => t.dropColumn('recurring'));
}
