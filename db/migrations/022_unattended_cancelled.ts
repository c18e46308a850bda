/**
 * A residential sale an operator cancels is an unattended request too (reason `cancelled`, with the
 * operator's reason): the digital channels lead may re-enter it (seed 002, step 20).
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw('alter table unattended_requests drop constraint unattended_requests_reason_check');
  await db.raw(`alter table unattended_requests add constraint unattended_requests_reason_check check (reason_code in ('no-coverage', 'no-capacity', 'offer-refused', 'no-payment', 'cancelled'))`);
}

export async function down(db: Knex): Promise<void> {
  await db('unattended_requests').where({ reason_code: 'cancelled' }).delete();
  await db.raw('alter table unattended_requests drop constraint unattended_requests_reason_check');
  await db.raw(`alter table unattended_requests add constraint unattended_requests_reason_check check (reason_code in ('no-coverage', 'no-capacity', 'offer-refused', 'no-payment'))`);
}
