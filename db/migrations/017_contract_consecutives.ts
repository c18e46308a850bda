/**
 * Contract consecutives come from provisioning (seed 004, step 6), no longer from a sequence of ours.
 * Provisioning numbers ONYX and RR contracts separately, so a consecutive is unique per system: the
 * constraint is what refuses a number another sale already registered, whoever races for it.
 * The sequence stays: instances started on earlier versions of assisted-sale still call
 * contracts.requestNumber.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw('alter table contract_numbers drop constraint contract_numbers_number_unique');
  await db.raw('alter table contract_numbers add constraint contract_numbers_system_number_unique unique (system, number)');
  // Who typed it, for the sale that finds it taken.
  await db.schema.alterTable('contract_numbers', (t) => {
    t.text('registered_by');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('contract_numbers', (t) => t.dropColumn('registered_by'));
  await db.raw('alter table contract_numbers drop constraint contract_numbers_system_number_unique');
  await db.raw('alter table contract_numbers add constraint contract_numbers_number_unique unique (number)');
}
