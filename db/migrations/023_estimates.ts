/**
 * Seed 001 (Kontaly): the catalog estimates are built from, and the estimates. Money is integer minor
 * units. An estimate is a series of versions under one `estimate_key`: a revision is a new row with the
 * next version, and the one it replaces is `superseded` (a partial unique index keeps one live version
 * per series, whoever races for it).
 */
import type { Knex } from 'knex';

const tz = { useTz: true };

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('catalog_items', (t) => {
    t.text('code').primary();
    t.text('name').notNullable();
    t.bigInteger('unit_price_minor').notNullable();
    t.integer('tax_rate_bp').notNullable();
    t.text('currency').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
  });
  await db.raw('alter table catalog_items add constraint catalog_items_money_check check (unit_price_minor >= 0 and tax_rate_bp between 0 and 10000)');
  await db('catalog_items').insert([
    { code: 'kontaly-basico', name: 'Kontaly Básico (mensual)', unit_price_minor: 2_990_000, tax_rate_bp: 1900, currency: 'COP' },
    { code: 'kontaly-pro', name: 'Kontaly Pro (mensual)', unit_price_minor: 4_990_000, tax_rate_bp: 1900, currency: 'COP' },
    { code: 'usuario-adicional', name: 'Usuario adicional (mensual)', unit_price_minor: 490_000, tax_rate_bp: 1900, currency: 'COP' },
    { code: 'implementacion', name: 'Implementación y migración de datos', unit_price_minor: 1_500_000, tax_rate_bp: 1900, currency: 'COP' },
    { code: 'capacitacion', name: 'Capacitación (hora)', unit_price_minor: 180_000, tax_rate_bp: 0, currency: 'COP' },
  ]);

  await db.schema.createTable('estimates', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('estimate_key').notNullable();
    t.integer('version').notNullable();
    t.text('status').notNullable().defaultTo('draft');
    t.text('customer_name').notNullable();
    t.text('customer_email').notNullable();
    t.text('opportunity_id');
    t.text('currency').notNullable();
    t.jsonb('lines').notNullable();
    t.bigInteger('gross_minor').notNullable();
    t.bigInteger('discount_minor').notNullable();
    t.bigInteger('net_minor').notNullable();
    t.bigInteger('tax_minor').notNullable();
    t.bigInteger('total_minor').notNullable();
    t.text('created_by').notNullable();
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
    t.unique(['estimate_key', 'version']);
  });
  await db.raw(`alter table estimates add constraint estimates_status_check check (status in ('draft', 'sent', 'accepted', 'declined', 'superseded'))`);
  await db.raw('alter table estimates add constraint estimates_totals_check check (net_minor = gross_minor - discount_minor and total_minor = net_minor + tax_minor)');
  await db.raw(`create unique index estimates_one_live_version on estimates (estimate_key) where status <> 'superseded'`);
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('estimates');
  await db.schema.dropTable('catalog_items');
}
