/**
 * E-mail attachments (seed 002: the invoice of a web payment goes to the customer as a PDF). The outbox
 * row names what to attach (`[{ invoicePdf: <invoice id> }]`), rendered when it is sent, so the row
 * stays small; the embedded sink records what arrived (file name, type, size) for the Sent mail page.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('outbox', (t) => t.jsonb('attachments').notNullable().defaultTo('[]'));
  await db.schema.alterTable('mail_messages', (t) => t.jsonb('attachments').notNullable().defaultTo('[]'));
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('mail_messages', (t) => t.dropColumn('attachments'));
  await db.schema.alterTable('outbox', (t) => t.dropColumn('attachments'));
}
