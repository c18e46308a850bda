/**
 * Which sale a deposit paid for (seed 002, step 12), whoever confirmed it: a statement line the match
 * agreed with, or collections by hand before the statement was imported. The deposit number is the key,
 * so one deposit confirms one sale only. The statement line's own mark moves here.
 */
import type { Knex } from 'knex';

const tz = { useTz: true };

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('deposit_claims', (t) => {
    t.text('deposit_number').primary();
    t.text('instance_id').notNullable();
    t.uuid('line_id').references('bank_statement_lines.id');
    t.text('confirmed_by').notNullable();
    t.timestamp('claimed_at', tz).notNullable().defaultTo(db.fn.now());
  });
  await db.raw(`insert into deposit_claims (deposit_number, instance_id, line_id, confirmed_by, claimed_at)
    select distinct on (deposit_number) deposit_number, matched_instance, id, 'statement', coalesce(matched_at, now())
      from bank_statement_lines where matched_instance is not null order by deposit_number, matched_at`);
  await db.schema.alterTable('bank_statement_lines', (t) => t.dropColumns('matched_instance', 'matched_at'));
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('bank_statement_lines', (t) => {
    t.text('matched_instance');
    t.timestamp('matched_at', tz);
  });
  await db.raw('update bank_statement_lines l set matched_instance = c.instance_id, matched_at = c.claimed_at from deposit_claims c where c.line_id = l.id');
  await db.schema.dropTable('deposit_claims');
}
