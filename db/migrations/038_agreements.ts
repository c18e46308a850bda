/**
 * Seed 003's agreements ("contratos"): legal texts a consultant accepts, per country and optionally per
 * rank, shown at registration, in the profile or at login.
 *
 *   agreements             versioned by code: a change is a new version, and the version before is
 *                          inactivated in the same transaction (an acceptance covers its own version
 *                          only, so people who accepted the old text are asked again).
 *   agreement_acceptances  who accepted which version, when and where, once per person and version.
 *   consultants.rank       the rank an agreement may be for (null: none yet).
 */
import type { Knex } from 'knex';

const tz = { useTz: true };

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('agreements', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('code').notNullable();
    t.integer('version').notNullable();
    t.text('country').notNullable();
    t.text('rank');
    t.text('title').notNullable();
    t.text('content').notNullable();
    t.specificType('pages', 'text[]').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.uuid('supersedes_id').references('agreements.id');
    t.text('created_by').notNullable();
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
    t.timestamp('inactivated_at', tz);
    t.unique(['code', 'version']);
    t.index(['country', 'active']);
  });
  // One active version per agreement code.
  await db.raw('create unique index agreements_one_active on agreements (code) where active');
  await db.raw("alter table agreements add constraint agreements_pages_check check (pages <@ array['registration', 'profile', 'login']::text[] and cardinality(pages) > 0)");

  await db.schema.createTable('agreement_acceptances', (t) => {
    t.uuid('agreement_id').notNullable().references('agreements.id');
    t.uuid('consultant_id').notNullable().references('consultants.id');
    t.text('page').notNullable();
    t.text('accepted_by').notNullable();
    t.timestamp('accepted_at', tz).notNullable().defaultTo(db.fn.now());
    t.primary(['agreement_id', 'consultant_id']);
    t.index(['consultant_id']);
  });
  await db.schema.alterTable('consultants', (t) => t.text('rank'));
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('consultants', (t) => t.dropColumn('rank'));
  await db.schema.dropTable('agreement_acceptances');
  await db.schema.dropTable('agreements');
}
