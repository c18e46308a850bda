/**
 * Real e-mail: the language an outbox message is rendered in, and the messages the embedded SMTP sink
 * (lib/mail/sink.ts) received, which operators read on the "Sent mail" page. The sink keeps every
 * delivery as it arrived: a redelivered outbox row shows up twice with one Message-ID, as a real
 * receiver would see it.
 */
import type { Knex } from 'knex';

const tz = { useTz: true };

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('outbox', (t) => {
    t.text('language').notNullable().defaultTo('es');
  });
  await db.schema.createTable('mail_messages', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    /** The Message-ID header without its angle brackets; the outbox derives it from its row id. */
    t.text('message_id');
    t.text('envelope_from');
    t.specificType('envelope_to', 'text[]').notNullable();
    t.text('from_header');
    t.text('to_header');
    t.text('subject');
    t.text('text');
    t.text('html');
    /** Cauce's own headers (X-Cauce-*), for finding the outbox row and template a message came from. */
    t.jsonb('cauce_headers').notNullable().defaultTo('{}');
    t.integer('size').notNullable();
    t.timestamp('received_at', tz).notNullable().defaultTo(db.fn.now());
    t.index(['received_at']);
    t.index(['message_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('mail_messages');
  await db.schema.alterTable('outbox', (t) => t.dropColumn('language'));
}
