/**
 * Outside participants: the links that let a person without a back-office login complete one task.
 * Only the SHA-256 of a link's secret is kept (`token_hash`); the secret itself exists in the e-mail
 * and nowhere else. `idempotency_key` makes the engine's send a no-op on retry (it is the task id for
 * the link the step sends, a fresh id for one an operator sends).
 */
import type { Knex } from 'knex';

const tz = { useTz: true };

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('task_links', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('task_id').notNullable().references('tasks.id').onDelete('CASCADE');
    t.text('instance_id').notNullable().references('process_instances.id').onDelete('CASCADE');
    t.text('email').notNullable();
    t.text('name');
    t.text('language').notNullable().defaultTo('es');
    t.text('token_hash').notNullable().unique();
    t.text('idempotency_key').notNullable().unique();
    t.timestamp('expires_at', tz).notNullable();
    t.timestamp('used_at', tz);
    t.timestamp('revoked_at', tz);
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
    t.text('created_by').notNullable();
    t.index(['task_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('task_links');
}
