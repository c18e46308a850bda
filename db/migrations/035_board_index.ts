/**
 * The pipeline board's column pages (api/boards): running instances of one definition in one stage,
 * newest first, paged by keyset on (started_at, id). With 10,000 leads a page must not scan them.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`create index process_instances_board on process_instances (definition_id, stage, started_at desc, id desc) where status = 'running'`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop index if exists process_instances_board');
}
