/**
 * Failed sign-in counters of rate-limiter-flexible's Postgres store (api/auth/login-limits.ts), in
 * the layout it expects. Created here rather than by the library at run time, so the schema has one
 * owner and rolls back with the others. `key` is a sha256: no usernames or addresses in clear.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('login_failures', (t) => {
    t.string('key', 255).primary();
    t.integer('points').notNullable().defaultTo(0);
    // Epoch milliseconds, as the library writes it.
    t.bigInteger('expire');
    t.index(['expire']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('login_failures');
}
