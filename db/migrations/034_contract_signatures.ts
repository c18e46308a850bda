/**
 * Seed 001's contract signature: when the salesperson asks for one, the won lead's accepted estimate
 * becomes a contract (its PDF and that PDF's sha256), sent to the client by a single-use link; the
 * client signs it on the portal with a simple electronic signature (drawn or typed), whose evidence is
 * kept (who, when, from which IP and browser, over which document hash) and printed on an audit page
 * appended to the signed PDF. The contract is linked to the customer the conversion makes.
 */
import type { Knex } from 'knex';

const tz = { useTz: true };

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('customer_contracts', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('process_id').notNullable();
    t.text('business_key').notNullable();
    t.uuid('estimate_id').notNullable().references('estimates.id');
    t.uuid('customer_id').references('customers.id');
    t.text('title').notNullable();
    t.text('signer_email').notNullable();
    t.text('status').notNullable().defaultTo('sent');
    t.binary('pdf').notNullable();
    t.text('sha256').notNullable();
    t.binary('signed_pdf');
    t.text('created_by').notNullable();
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
    t.timestamp('signed_at', tz);
    t.text('idempotency_key').notNullable().unique();
    t.index(['process_id']);
  });
  await db.raw(`alter table customer_contracts add constraint customer_contracts_status_check check (status in ('sent', 'signed'))`);
  await db.schema.createTable('customer_contract_links', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('contract_id').notNullable().references('customer_contracts.id');
    t.text('token_hash').notNullable().unique();
    t.text('email').notNullable();
    t.timestamp('expires_at', tz).notNullable();
    t.timestamp('used_at', tz);
    t.timestamp('revoked_at', tz);
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
  });
  await db.schema.createTable('customer_contract_signatures', (t) => {
    t.uuid('contract_id').primary().references('customer_contracts.id');
    t.text('method').notNullable();
    t.text('signer_name').notNullable();
    t.text('signer_email').notNullable();
    t.text('typed_signature');
    t.binary('drawing_png');
    t.text('ip').notNullable();
    t.text('user_agent');
    t.timestamp('signed_at', tz).notNullable();
    t.text('document_sha256').notNullable();
  });
  await db.raw(`alter table customer_contract_signatures add constraint customer_contract_signatures_method_check check (
    (method = 'typed' and typed_signature is not null) or (method = 'drawn' and drawing_png is not null))`);
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('customer_contract_signatures');
  await db.schema.dropTable('customer_contract_links');
  await db.schema.dropTable('customer_contracts');
}
