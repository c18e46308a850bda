/**
 * Seed 003: who registers, and the blacklist the company keeps.
 *
 *   consultants               `kind`: a person of the sales force is a consultant or a customer; the same
 *                             row (one live row per document) changes kind when a customer becomes a
 *                             consultant or a consultant goes back to customer.
 *   consultant_registrations  every registration of a person, once per enrollment step (its key): the
 *                             case it was (new, customer to consultant, returning…), its channel and form.
 *   blacklist_reasons         the company's list of reasons ("motivos de lista negra"); an entry names one.
 *   blacklist                 who added an entry, and its removal (kept, not deleted: the history stays).
 */
import type { Knex } from 'knex';

const tz = { useTz: true };

/** The reasons a company starts with; each is editable, and more can be added. */
const REASONS: Array<[code: string, label: string]> = [
  ['terms-violation', 'Incumplimiento de términos y condiciones'],
  ['fraud', 'Fraude comprobado'],
  ['unpaid-debt', 'Cartera en mora'],
  ['identity-theft', 'Suplantación de identidad'],
  ['company-decision', 'Decisión de la compañía'],
];

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('consultants', (t) => t.text('kind').notNullable().defaultTo('consultant'));
  await db.raw("alter table consultants add constraint consultants_kind_check check (kind in ('consultant', 'customer'))");

  await db.schema.createTable('consultant_registrations', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('consultant_id').notNullable().references('consultants.id');
    t.text('case').notNullable();
    t.text('register_as').notNullable();
    t.text('channel').notNullable();
    t.text('form_type').notNullable();
    t.text('instance_id');
    t.text('idempotency_key').notNullable().unique();
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
    t.index(['consultant_id', 'created_at']);
  });
  await db.raw(`alter table consultant_registrations add constraint consultant_registrations_case_check check ("case" in
    ('new-consultant', 'new-customer', 'customer-to-consultant', 'consultant-to-customer', 'returning-consultant', 'already-registered'))`);

  await db.schema.createTable('blacklist_reasons', (t) => {
    t.text('code').primary();
    t.text('label').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
  });
  await db('blacklist_reasons').insert(REASONS.map(([code, label]) => ({ code, label })));
  // Entries made before the list existed keep their code as a reason of its own.
  await db.raw(`insert into blacklist_reasons (code, label) select distinct reason_code, reason_code from blacklist
    where reason_code not in (select code from blacklist_reasons)`);
  await db.schema.alterTable('blacklist', (t) => {
    t.foreign('reason_code').references('blacklist_reasons.code');
    t.text('created_by');
    t.timestamp('removed_at', tz);
    t.text('removed_by');
    t.text('removal_reason');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('blacklist', (t) => {
    t.dropForeign(['reason_code']);
    t.dropColumns('created_by', 'removed_at', 'removed_by', 'removal_reason');
  });
  await db.schema.dropTable('blacklist_reasons');
  await db.schema.dropTable('consultant_registrations');
  await db.raw('alter table consultants drop constraint consultants_kind_check');
  await db.schema.alterTable('consultants', (t) => t.dropColumn('kind'));
}
