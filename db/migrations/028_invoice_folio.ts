/**
 * Invoice numbers without gaps (seed 001). A sequence hands out a number even when the transaction that
 * took it rolls back, or when the insert loses to an earlier one with its key; a counter row updated in
 * the transaction that writes the invoice gives a number back on rollback, so folios run 1, 2, 3… with
 * none missing. It starts after the highest number the sequence gave.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('invoice_folio', (t) => {
    t.text('series').primary();
    t.integer('last').notNullable();
  });
  await db.raw(`insert into invoice_folio (series, last) select 'invoice', coalesce(max(number), 0) from invoices`);
  await db.raw('drop sequence invoice_number_seq');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('create sequence invoice_number_seq as integer');
  await db.raw(`select setval('invoice_number_seq', last, true) from invoice_folio where series = 'invoice' and last > 0`);
  await db.schema.dropTable('invoice_folio');
}
