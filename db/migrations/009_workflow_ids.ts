/**
 * Workflow ids come from business keys (`<definitionId>/<businessKey>`): Temporal's id conflict policy
 * is what refuses a second running instance, so the database no longer guards it. An instance's id is
 * the first run id of its workflow chain, and its row keeps the workflow id to reach it. Rows written
 * before keep their id, which was also their workflow id.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('process_instances', (t) => {
    t.text('workflow_id');
  });
  await db.raw('update process_instances set workflow_id = id');
  await db.raw('alter table process_instances alter column workflow_id set not null');
  await db.raw('drop index process_instances_running_business_key');
  await db.raw('create index process_instances_running_business_key on process_instances (definition_id, business_key) where status = \'running\'');
  await db.raw('create index process_instances_workflow on process_instances (workflow_id, started_at desc)');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop index process_instances_workflow');
  await db.raw('drop index process_instances_running_business_key');
  await db.raw(`create unique index process_instances_running_business_key
    on process_instances (definition_id, business_key) where status = 'running'`);
  await db.schema.alterTable('process_instances', (t) => {
    t.dropColumn('workflow_id');
  });
}
