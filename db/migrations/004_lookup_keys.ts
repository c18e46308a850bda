/**
 * Lookups by step key and by process:
 * - revoking unpaid modules is keyed like every other side effect: the items a revocation took carry
 *   its step key, so a retried revocation returns them instead of revoking again;
 * - signup finds the account its own process created (accounts.instance_id), never another signup's.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('subscription_items', (t) => {
    t.text('revoked_key');
    t.index(['revoked_key']);
  });
  await db.schema.alterTable('accounts', (t) => t.index(['instance_id']));
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('accounts', (t) => t.dropIndex(['instance_id']));
  await db.schema.alterTable('subscription_items', (t) => {
    t.dropIndex(['revoked_key']);
    t.dropColumn('revoked_key');
  });
}
