/**
 * Seed 002 (COMTECO's residential digital sale). `coverage_zones` stands in for Smartflex/GIS: per zone
 * and technology, the highest speed the network reaches there, loaded from CSV (POST /api/coverage).
 * `service_plans` is the catalog the offer is negotiated from, priced in BOB centavos (integers: money
 * is exact). The plans below are the catalog `npm start` offers; a new plan is a row.
 * `unattended_requests` (step 19) holds the sales that ended without a sale (no coverage, no capacity,
 * offer refused): the digital channels lead's report reads it, and a re-entry marks the row it took up.
 */
import type { Knex } from 'knex';

const tz = { useTz: true };

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('coverage_zones', (t) => {
    t.text('zone').notNullable();
    t.text('technology').notNullable();
    t.integer('max_speed_mbps').notNullable();
    t.text('updated_by').notNullable();
    t.timestamp('updated_at', tz).notNullable().defaultTo(db.fn.now());
    t.primary(['zone', 'technology']);
  });
  await db.raw(`alter table coverage_zones add constraint coverage_zones_technology_check check (technology in ('fiber', 'hfc', 'adsl', 'wireless'))`);
  await db.raw(`alter table coverage_zones add constraint coverage_zones_speed_check check (max_speed_mbps between 1 and 10000)`);

  await db.schema.createTable('service_plans', (t) => {
    t.text('code').primary();
    t.text('name').notNullable();
    t.text('technology').notNullable();
    t.integer('speed_mbps').notNullable();
    t.bigInteger('monthly_tariff_minor').notNullable();
    t.bigInteger('installation_fee_minor').notNullable().defaultTo(0);
    t.text('currency').notNullable().defaultTo('BOB');
    t.boolean('active').notNullable().defaultTo(true);
  });
  await db.raw(`alter table service_plans add constraint service_plans_money_check check (monthly_tariff_minor > 0 and installation_fee_minor >= 0)`);
  await db('service_plans').insert([
    { code: 'hogar-fibra-50', name: 'Hogar Fibra 50', technology: 'fiber', speed_mbps: 50, monthly_tariff_minor: 19_900, installation_fee_minor: 0 },
    { code: 'hogar-fibra-100', name: 'Hogar Fibra 100', technology: 'fiber', speed_mbps: 100, monthly_tariff_minor: 27_900, installation_fee_minor: 0 },
    { code: 'hogar-fibra-300', name: 'Hogar Fibra 300', technology: 'fiber', speed_mbps: 300, monthly_tariff_minor: 45_900, installation_fee_minor: 15_000 },
    { code: 'hogar-hfc-30', name: 'Hogar Cable 30', technology: 'hfc', speed_mbps: 30, monthly_tariff_minor: 16_900, installation_fee_minor: 10_000 },
    { code: 'hogar-adsl-10', name: 'Hogar ADSL 10', technology: 'adsl', speed_mbps: 10, monthly_tariff_minor: 9_900, installation_fee_minor: 5_000 },
    { code: 'hogar-inalambrico-20', name: 'Hogar Inalámbrico 20', technology: 'wireless', speed_mbps: 20, monthly_tariff_minor: 14_900, installation_fee_minor: 20_000 },
  ]);

  await db.schema.createTable('unattended_requests', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('instance_id').notNullable().unique();
    t.text('business_key').notNullable();
    t.text('reason_code').notNullable();
    t.text('reason').notNullable();
    t.text('customer_name').notNullable();
    t.text('phone');
    t.text('owner').notNullable();
    t.text('reentered_as');
    t.text('idempotency_key').notNullable().unique();
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
    t.index(['created_at']);
  });
  await db.raw(`alter table unattended_requests add constraint unattended_requests_reason_check check (reason_code in ('no-coverage', 'no-capacity', 'offer-refused', 'no-payment'))`);
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('unattended_requests');
  await db.schema.dropTable('service_plans');
  await db.schema.dropTable('coverage_zones');
}
