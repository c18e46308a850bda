/**
 * Seed 003: the consultants list and the leader's network.
 *
 *   consultants.username  the back-office account of a consultant who signs in to it (a network leader):
 *                         the network they may reactivate is the consultants they sponsor.
 *   indexes               the list's filters: status and zone, sponsor, registration date.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('consultants', (t) => {
    t.text('username').unique();
    t.index(['status', 'zone', 'created_at']);
    t.index(['sponsor_id']);
    t.index(['created_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('consultants', (t) => {
    t.dropIndex(['created_at']);
    t.dropIndex(['sponsor_id']);
    t.dropIndex(['status', 'zone', 'created_at']);
    t.dropColumn('username');
  });
}
