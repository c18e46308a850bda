/**
 * Seed 001: the client portal's sessions, apart from staff sessions: a customer's token opens only the
 * portal's routes, and a staff token none of them. Only the token's sha256 is stored.
 */
import type { Knex } from 'knex';

const tz = { useTz: true };

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('portal_sessions', (t) => {
    t.text('token_hash').primary();
    t.uuid('customer_id').notNullable().references('customers.id').onDelete('CASCADE');
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
    t.timestamp('expires_at', tz).notNullable();
    t.index(['customer_id']);
    t.index(['expires_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('portal_sessions');
}
