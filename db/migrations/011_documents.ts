/**
 * Uploaded documents (api/documents). Content is addressed by its sha256: `document_contents` has one
 * row per distinct content, whose bytes are `document_chunks` of at most 256 KiB (so an upload streams
 * in and a download streams out, never one 20 MB value in memory); a repeat upload adds a `documents`
 * row and no content. A document belongs to no instance until a task completion references it
 * (`instance_id`), and from then on follows that instance's visibility.
 */
import type { Knex } from 'knex';

const tz = { useTz: true };

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('document_contents', (t) => {
    t.text('sha256').primary();
    // The chunks were written under this key before the hash was known (the Postgres content store).
    t.uuid('blob_id').notNullable().unique();
    t.bigInteger('size').notNullable();
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
  });
  await db.schema.createTable('document_chunks', (t) => {
    t.uuid('blob_id').notNullable();
    t.integer('seq').notNullable();
    t.binary('bytes').notNullable();
    t.primary(['blob_id', 'seq']);
  });
  await db.schema.createTable('documents', (t) => {
    t.uuid('id').primary();
    t.text('sha256').notNullable().references('sha256').inTable('document_contents');
    t.text('content_type').notNullable();
    t.bigInteger('size').notNullable();
    t.text('filename').notNullable();
    t.text('kind');
    t.date('issued_at');
    t.text('uploaded_by').notNullable();
    t.timestamp('uploaded_at', tz).notNullable().defaultTo(db.fn.now());
    t.text('instance_id').references('id').inTable('process_instances');
    t.timestamp('attached_at', tz);
    t.index('sha256');
    t.index('instance_id');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('documents');
  await db.schema.dropTable('document_chunks');
  await db.schema.dropTable('document_contents');
}
