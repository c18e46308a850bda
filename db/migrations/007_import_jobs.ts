/**
 * CSV imports run as a Temporal job (workflows/contact-import.ts): the upload stores every row as
 * `pending` with what the file said (`input`: the checked lead, or the reasons it cannot be one), and
 * the job's activities turn each pending row into its outcome. The rows are the job's durable queue.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('import_rows', (t) => {
    t.jsonb('input');
  });
  await db.raw('alter table import_rows drop constraint import_rows_status_check');
  await db.raw(`alter table import_rows add constraint import_rows_status_check check (status in ('pending', 'created', 'duplicate', 'invalid'))`);
  // Imports still running were run by the API process, which is gone: they will not go on by themselves.
  await db('imports')
    .where({ status: 'running' })
    .update({
      status: 'failed',
      error: 'interrupted: Cauce stopped during the import; import the file again (rows already imported count as duplicates)',
      finished_at: db.fn.now(),
    });
  // The job walks an import's pending rows in line order.
  await db.raw(`create index import_rows_pending on import_rows (import_id, line) where status = 'pending'`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop index import_rows_pending');
  await db('import_rows').where({ status: 'pending' }).delete();
  await db.raw('alter table import_rows drop constraint import_rows_status_check');
  await db.raw(`alter table import_rows add constraint import_rows_status_check check (status in ('created', 'duplicate', 'invalid'))`);
  await db.schema.alterTable('import_rows', (t) => {
    t.dropColumn('input');
  });
}
