/**
 * Seed 001's support tickets, opened from the client portal or by staff. Each ticket is worked by its
 * own support-ticket process (id `support-ticket/<ticket id>`), whose activities are the one writer of
 * these tables: the ticket, and its messages from both sides, each once per step (idempotency key).
 */
import type { Knex } from 'knex';

const tz = { useTz: true };

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('tickets', (t) => {
    t.uuid('id').primary();
    t.increments('number', { primaryKey: false });
    t.uuid('customer_id').notNullable().references('customers.id');
    t.text('subject').notNullable();
    t.text('status').notNullable().defaultTo('open');
    t.text('opened_via').notNullable();
    t.text('opened_by').notNullable();
    t.text('process_id').notNullable().unique();
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
    t.timestamp('first_response_at', tz);
    t.timestamp('closed_at', tz);
    t.text('close_reason');
    t.index(['customer_id', 'created_at']);
    t.index(['status']);
  });
  await db.raw(`alter table tickets add constraint tickets_status_check check (status in ('open', 'waiting-customer', 'closed'))`);
  await db.raw(`alter table tickets add constraint tickets_opened_via_check check (opened_via in ('portal', 'staff'))`);
  await db.schema.createTable('ticket_messages', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('ticket_id').notNullable().references('tickets.id');
    t.text('author_kind').notNullable();
    t.text('author').notNullable();
    t.text('body').notNullable();
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
    t.text('idempotency_key').notNullable().unique();
    t.index(['ticket_id', 'created_at']);
  });
  await db.raw(`alter table ticket_messages add constraint ticket_messages_author_kind_check check (author_kind in ('customer', 'staff'))`);
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('ticket_messages');
  await db.schema.dropTable('tickets');
}
