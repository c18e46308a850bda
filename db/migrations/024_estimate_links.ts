/**
 * Seed 001's client portal before conversion: an estimate is sent to the client as a single-use signed
 * link (its secret stored only as a sha256, like task links), which opens the estimate to accept or
 * decline it. Sending a version again, or a revision, revokes the earlier links of the series.
 */
import type { Knex } from 'knex';

const tz = { useTz: true };

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('estimate_links', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('estimate_id').notNullable().references('estimates.id');
    t.uuid('estimate_key').notNullable();
    t.text('email').notNullable();
    t.text('token_hash').notNullable().unique();
    t.timestamp('expires_at', tz).notNullable();
    t.timestamp('used_at', tz);
    t.timestamp('revoked_at', tz);
    t.text('created_by').notNullable();
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
    t.index(['estimate_key']);
  });
  await db.schema.alterTable('estimates', (t) => {
    t.timestamp('decided_at', tz);
    t.text('decided_by');
    t.text('decline_reason');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('estimates', (t) => t.dropColumns('decided_at', 'decided_by', 'decline_reason'));
  await db.schema.dropTable('estimate_links');
}
