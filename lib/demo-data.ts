/**
 * Business data the shipped examples need to reach the interesting part of their process under
 * `npm start`:
 * - consultant-enrollment's example registers Marcela Ríos under David López's network: he must be an
 *   active consultant in her zone, or the example ends at once with `sponsor-not-found`.
 * - account-upgrade's example adds modules to Cafetería El Molino's freemium account (its accountId), or
 *   it fails at its first step with NotFound. The account is made as a freemium signup makes it: the
 *   contact and open opportunity of the lead intake (lib/leads), then the account and its subscription
 *   through the store freemium-account's createAccount step writes with (lib/accounts).
 * - residential-sale's example sells in Cochabamba: the coverage table gets the demo zones while it is
 *   empty (an operator's own table, loaded by POST /api/coverage, is never touched).
 * Safe to repeat: each row has a fixed idempotency key, and a demo account seeded before is left as the
 * demo has since made it (upgraded, paid…).
 */
import type { Knex } from 'knex';
import { DEFAULT_PLAN, planProblem } from '../domain/accounts';
import { normalizeRut } from '../domain/identity';
import { accountStore } from './accounts';
import { createCoverageStore } from './coverage';
import type { CoverageRow } from '../domain/residential';
import { ensureOpportunity } from './leads';
import { opportunityStore } from './opportunities';

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

/** The freemium account account-upgrade's example (definitions/account-upgrade.yaml) upgrades. */
export const DEMO_FREEMIUM_ACCOUNT = {
  id: '5b0c7a53-3f4e-4d55-9f59-9a1f0c2b7d11',
  email: 'hola@cafeteriaelmolino.cl',
  rut: '77.123.456-9',
  name: 'Cafetería El Molino Ltda.',
  channel: 'landing',
  key: 'demo:account:cafeteria-el-molino',
} as const;

/** Recorded as who brought the demo account's lead in, and who loaded the demo coverage. */
const DEMO_ACTOR = 'demo-data';

/** Cochabamba's demo coverage: fibre downtown, cable and ADSL around it, wireless at the edge. */
export const DEMO_COVERAGE: CoverageRow[] = [
  { zone: 'cochabamba-centro', technology: 'fiber', maxSpeedMbps: 300 },
  { zone: 'cochabamba-centro', technology: 'hfc', maxSpeedMbps: 50 },
  { zone: 'cochabamba-centro', technology: 'adsl', maxSpeedMbps: 10 },
  { zone: 'queru-queru', technology: 'fiber', maxSpeedMbps: 100 },
  { zone: 'sacaba', technology: 'adsl', maxSpeedMbps: 10 },
  { zone: 'sacaba', technology: 'wireless', maxSpeedMbps: 20 },
];

/**
 * Seeds what is missing. Returns what it could not seed and why (npm start prints it): the demo goes on
 * without it.
 */
export async function seedDemoData(db: Knex): Promise<string[]> {
  await db('consultants')
    .insert({ ...DEMO_SPONSOR, documents: JSON.stringify([]), credit_limit: 0, activated_at: db.fn.now() })
    .onConflict('idempotency_key')
    .ignore();
  const coverage = createCoverageStore(db);
  if (await coverage.isEmpty()) await db.transaction((trx) => coverage.upsert(trx, DEMO_COVERAGE, DEMO_ACTOR));
  const notes: string[] = [];
  const accountProblem = await seedFreemiumAccount(db);
  if (accountProblem) notes.push(accountProblem);
  return notes;
}

/** The demo freemium account, or why it cannot be made. */
async function seedFreemiumAccount(db: Knex): Promise<string | null> {
  const demo = DEMO_FREEMIUM_ACCOUNT;
  if (await accountStore.byKey(db, demo.key)) return null;
  const holder = await accountStore.idByEmail(db, demo.email);
  // A database from before this seed existed, where someone signed up with the example's email.
  if (holder) return `demo account ${demo.id} not seeded: ${demo.email} is already account ${holder}, so account-upgrade's example names no account`;
  const rut = normalizeRut(demo.rut)!;
  await db.transaction(async (trx) => {
    const plan = await accountStore.plan(trx, DEFAULT_PLAN.freemium);
    const problem = planProblem(DEFAULT_PLAN.freemium, plan, 'freemium');
    if (problem) throw new Error(`demo account: ${problem.message}`);
    // What signup (POST /api/accounts) does before it starts freemium-account: the contact and its open opportunity.
    const sale = await ensureOpportunity(trx, { email: demo.email, name: demo.name, rut, channel: demo.channel, actor: DEMO_ACTOR });
    // What freemium-account's createAccount step then writes, in one transaction with the opportunity's link.
    const account = await accountStore.open(trx, {
      id: demo.id, kind: 'freemium', plan: plan!, email: demo.email, rut, name: demo.name, channel: demo.channel,
      opportunityId: sale.opportunityId, contactId: sale.contactId, companyId: sale.companyId, ownerId: sale.ownerId,
      instanceId: null, key: demo.key,
    });
    if (!(await opportunityStore.link(trx, sale.opportunityId, account.id))) {
      throw new Error(`demo account: opportunity ${sale.opportunityId} of ${demo.email} is tied to another account`);
    }
  });
  return null;
}
