/**
 * Seed 001: an estimate belongs to the lead's process (lead-to-customer), which hears the client's
 * answer as a message routed by the process's business key. The loose opportunity reference it carried
 * before goes: no estimate was ever tied to an opportunity.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('estimates', (t) => {
    t.dropColumn('opportunity_id');
    t.text('process_id');
    t.text('business_key');
    t.index(['process_id']);
  });
  await db.raw('alter table estimates add constraint estimates_process_check check ((process_id is null) = (business_key is null))');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('alter table estimates drop constraint estimates_process_check');
  await db.schema.alterTable('estimates', (t) => {
    t.dropColumns('process_id', 'business_key');
    t.text('opportunity_id');
  });
}
