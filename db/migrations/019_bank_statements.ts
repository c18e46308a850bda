/**
 * COMTECO's bank statements (seed 002, step 12), imported as CSV by collections: one row per statement
 * line. A line is known by its deposit number, date, amount and operation type: the same statement
 * imported twice adds nothing. `matched_instance` is the sale the line confirmed; the partial unique
 * index lets a line confirm one sale only, whoever races for it.
 */
import type { Knex } from 'knex';

const tz = { useTz: true };

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('bank_statements', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('filename').notNullable();
    t.text('imported_by').notNullable();
    t.integer('lines').notNullable();
    t.integer('duplicates').notNullable();
    t.timestamp('imported_at', tz).notNullable().defaultTo(db.fn.now());
  });
  await db.schema.createTable('bank_statement_lines', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('statement_id').notNullable().references('bank_statements.id');
    t.integer('line').notNullable();
    t.date('booked_on').notNullable();
    t.bigInteger('amount_minor').notNullable();
    t.text('currency').notNullable().defaultTo('BOB');
    t.text('deposit_number').notNullable();
    t.text('operation_type').notNullable();
    t.text('depositor').notNullable();
    t.text('matched_instance');
    t.timestamp('matched_at', tz);
    t.unique(['deposit_number', 'booked_on', 'amount_minor', 'operation_type']);
    t.index(['deposit_number']);
  });
  await db.raw(`alter table bank_statement_lines add constraint bank_statement_lines_amount_check check (amount_minor > 0)`);
  await db.raw(`alter table bank_statement_lines add constraint bank_statement_lines_operation_check check (operation_type in ('transfer', 'deposit', 'qr'))`);
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('bank_statement_lines');
  await db.schema.dropTable('bank_statements');
}
