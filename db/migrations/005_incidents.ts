/**
 * Incidents: an instance that cannot go on by itself (an expression over its budget or failing, a
 * choice with no way out, a workflow task that keeps failing) waits for an operator. One row per
 * incident; the instance stays `running` (it still holds its business key) until someone retries,
 * cancels or terminates it. Definition versions remember their file, so an incident can name the
 * file, line and column of the expression at fault.
 */
import type { Knex } from 'knex';

const tz = { useTz: true } as const;

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('definition_versions', (t) => t.text('file'));
  await db.schema.createTable('incidents', (t) => {
    t.uuid('id').primary();
    // `${stepKey}:incident:${n}` for step incidents, `${workflowId}:task:${attempt start}` for task failures.
    t.text('key').notNullable().unique();
    t.text('instance_id').notNullable().references('process_instances.id').onDelete('CASCADE');
    t.text('source').notNullable(); // 'step' | 'workflow-task'
    t.text('step_id');
    t.text('type').notNullable();
    t.text('message').notNullable();
    t.text('path'); // JSON pointer in the definition
    t.text('file');
    t.integer('line');
    t.integer('column');
    t.text('status').notNullable().defaultTo('open');
    t.text('resolution'); // retried | cancelled | terminated | recovered
    t.text('resolved_by');
    t.timestamp('raised_at', tz).notNullable().defaultTo(db.fn.now());
    t.timestamp('resolved_at', tz);
  });
  await db.raw(`alter table incidents add constraint incidents_status_check check (status in ('open', 'resolved'))`);
  await db.raw(`alter table incidents add constraint incidents_source_check check (source in ('step', 'workflow-task'))`);
  await db.raw(`create index incidents_open on incidents (raised_at desc) where status = 'open'`);
  await db.raw(`create index incidents_instance on incidents (instance_id, raised_at desc)`);
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('incidents');
  await db.schema.alterTable('definition_versions', (t) => t.dropColumn('file'));
}
