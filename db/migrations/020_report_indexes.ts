/**
 * Seed 002's reports, index-bound (bench/residential.ts measures both, with EXPLAIN):
 * - the billing KPI sums a currency's invoices month by month (api/reports/store.ts, monthlyBilling):
 *   with the amount in the index, each month is an index-only range scan that reads no invoice row;
 * - the digital-sales report reads a definition's instances that ended in a month (started ones have
 *   process_instances_definition already).
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw('create index invoices_currency_issued_at on invoices (currency, issued_at) include (amount)');
  await db.raw('create index process_instances_definition_ended on process_instances (definition_id, ended_at) where ended_at is not null');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop index if exists process_instances_definition_ended');
  await db.raw('drop index if exists invoices_currency_issued_at');
}
