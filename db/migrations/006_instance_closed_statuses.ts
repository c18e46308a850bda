/**
 * Instances closed outside Cauce keep the status Temporal gives them: `terminated` (e.g. `temporal
 * workflow terminate`) and `timed_out` (a workflow execution timeout), set by reconciliation
 * (lib/reconcile.ts). Like every closed status they free the business key.
 */
import type { Knex } from 'knex';

const constraint = (statuses: string[]) => `alter table process_instances add constraint process_instances_status_check
  check (status in (${statuses.map((s) => `'${s}'`).join(', ')}))`;

const BEFORE = ['running', 'completed', 'cancelled', 'failed'];

export async function up(db: Knex): Promise<void> {
  await db.raw('alter table process_instances drop constraint process_instances_status_check');
  await db.raw(constraint([...BEFORE, 'terminated', 'timed_out']));
}

export async function down(db: Knex): Promise<void> {
  await db.raw('alter table process_instances drop constraint process_instances_status_check');
  // The older constraint knows neither status: closest is failed, with the real one kept in the reason.
  await db.raw(`update process_instances set end_reason = status || coalesce(': ' || end_reason, ''), status = 'failed' where status in ('terminated', 'timed_out')`);
  await db.raw(constraint(BEFORE));
}
