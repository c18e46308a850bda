/**
 * Seed 001's conversion: a won lead becomes a customer, once per lead process (the process id is
 * unique, and so is the conversion step's idempotency key). The customer gets portal credentials whose
 * password the client sets through a single-use link (its secret kept only as a sha256), and the
 * accepted estimate becomes a draft invoice: an invoice with a status, whose number and issue date come
 * only when it is issued, so a draft never consumes a number nor counts in a report.
 */
import type { Knex } from 'knex';

const tz = { useTz: true };

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('customers', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('name').notNullable();
    t.text('email').notNullable();
    t.text('phone');
    t.text('company_name');
    t.text('company_tax_id');
    t.text('process_id').notNullable().unique();
    t.uuid('estimate_id').notNullable().references('estimates.id');
    t.text('converted_by').notNullable();
    t.timestamp('converted_at', tz).notNullable().defaultTo(db.fn.now());
    t.text('idempotency_key').notNullable().unique();
  });
  await db.schema.createTable('portal_credentials', (t) => {
    t.uuid('customer_id').primary().references('customers.id');
    t.text('email').notNullable().unique();
    t.text('password_hash');
    t.text('setup_token_hash').unique();
    t.timestamp('setup_expires_at', tz);
    t.timestamp('activated_at', tz);
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
  });
  await db.schema.alterTable('invoices', (t) => {
    t.text('status').notNullable().defaultTo('issued');
    t.uuid('customer_id').references('customers.id');
    t.uuid('estimate_id').references('estimates.id');
    t.index(['customer_id']);
  });
  await db.raw('alter table invoices alter column number drop not null');
  await db.raw('alter table invoices alter column issued_at drop not null');
  await db.raw(`alter table invoices add constraint invoices_status_check check (status in ('draft', 'issued', 'sent', 'paid', 'overdue', 'void'))`);
  // A number and an issue date come together, when a draft is issued: a draft has neither, an issued,
  // sent, paid or overdue invoice both, and a void one either (voided before or after it was issued).
  await db.raw(`alter table invoices add constraint invoices_number_check check (
    (number is null) = (issued_at is null)
    and (status <> 'draft' or number is null)
    and (number is not null or status in ('draft', 'void')))`);
}

export async function down(db: Knex): Promise<void> {
  await db('invoices').where({ status: 'draft' }).delete();
  await db.raw('alter table invoices drop constraint invoices_number_check');
  await db.raw('alter table invoices drop constraint invoices_status_check');
  await db.raw('alter table invoices alter column issued_at set not null');
  await db.raw('alter table invoices alter column number set not null');
  await db.schema.alterTable('invoices', (t) => t.dropColumns('status', 'customer_id', 'estimate_id'));
  await db.schema.dropTable('portal_credentials');
  await db.schema.dropTable('customers');
}
