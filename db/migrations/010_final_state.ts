/**
 * The state an instance ended with (its variables, stage history and runs), written by the interpreter's
 * `engine.finishInstance`. A closed instance is then answered from its row: no query that would make a
 * worker replay a finished workflow from its history, and still an answer once Temporal's retention has
 * deleted that history. Rows closed before (or by reconciliation, behind the interpreter's back) have none.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('process_instances', (t) => {
    t.jsonb('final_state');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('process_instances', (t) => {
    t.dropColumn('final_state');
  });
}
