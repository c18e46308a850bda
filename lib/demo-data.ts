/**
 * Business data the shipped examples need to reach the interesting part of their process under
 * `npm start`. consultant-enrollment's example registers Marcela Ríos under David López's network: he
 * must be an active consultant in her zone, or the example ends at once with `sponsor-not-found`.
 * Safe to repeat: each row has a fixed idempotency key.
 */
import type { Knex } from 'knex';

export const DEMO_SPONSOR = {
  country: 'CO',
  document_type: 'CC',
  document_number: '79111222',
  email: 'david.lopez@redconsultores.co',
  name: 'David López',
  phone: '+57 311 444 5566',
  zone: 'bogota-norte',
  channel: 'corporate-backend',
  form_type: 'long',
  status: 'active',
  idempotency_key: 'demo:sponsor:david.lopez',
} as const;

export async function seedDemoData(db: Knex): Promise<void> {
  await db('consultants')
    .insert({ ...DEMO_SPONSOR, documents: JSON.stringify([]), credit_limit: 0, activated_at: db.fn.now() })
    .onConflict('idempotency_key')
    .ignore();
}
