/**
 * The funnel report (`GET /api/reports/funnel`, `cauce report funnel`) against a scenario written
 * through the real activities, with every expected figure worked out by hand below
 * (definitions: docs/DIGITAL-SALE.md, "Report definitions").
 *
 * The scenario spans September–December 2025; the report period is mostly November 2025,
 * [2025-11-01T00:00Z, 2025-12-01T00:00Z). Owners: Camila Rojas (C) and Diego Fuentes (D), seeded by
 * migration 003. Stages are written by `engine.setStage` with an explicit time; accounts, module
 * upgrades, revocations and payments by the domain activities. Those stamp the database clock, so
 * the test pins each row's time afterwards — the report is about when things happened.
 *
 *  opp  channel    owner  instances: stage changes (UTC)
 *  O1   landing    C      digital-opportunity: assigned Oct 20, contacted Nov 2, proposal Nov 5
 *                         trial-lifecycle:     conversion Nov 10, closed-won Nov 12, paid Nov 15
 *  O2   landing    D      digital-opportunity: assigned Nov 3, contacted Nov 4, proposal Nov 8
 *                         trial-lifecycle:     closed-won Nov 20 10:00, paid Nov 20 10:05 (skips conversion-to-account)
 *  O3   ecommerce  C      trial-lifecycle:     conversion Nov 1 00:00:00.000 (= from), lost Nov 30 23:59:59
 *  O4   ecommerce  D      trial-lifecycle:     conversion Oct 5, closed-won Oct 20, paid Oct 20
 *  O5   hubspot    C      digital-opportunity: assigned Nov 6, contacted Nov 9, contacted again Nov 10, lost Nov 14
 *  O6   hubspot    D      digital-opportunity: assigned Nov 28, contacted Dec 1 00:00:00.000 (= end), proposal Dec 3
 *  O7   ecommerce  C      freemium-account:    conversion Oct 28, closed-won Nov 22, paid Dec 2
 *  O8   landing    D      digital-opportunity: assigned Oct 2, lost Oct 15
 *  O9   hubspot    D      freemium-account:    conversion Sep 15
 *  —    assisted-sale instance keyed by a contract number (not an opportunity): closed-won Nov 10 — never counted
 *
 *  account  plan            money (CLP; modules: remuneraciones 9990, inventario 7990, usuarios-extra 4990, factura-plus 5990)
 *  A1 (O1)  trial-pyme      factura-plus activated Nov 12; checkout Nov 15 → first-period invoice 29990 + 5990 = 35980 (pays factura-plus)
 *                           inventario activated Nov 29; checkout Nov 30 23:00 → upgrade invoice 7990 (pays inventario)
 *  A2 (O2)  trial-emprende  checkout Nov 20 10:05 → first-period invoice 14990
 *  A3 (O3)  trial-pyme      never pays
 *  A4 (O4)  trial-pyme      checkout Oct 20 → first-period 29990; usuarios-extra activated Oct 25; remuneraciones activated Nov 18 09:00;
 *                           checkout Nov 18 09:30 → upgrade 4990 + 9990 = 14980 (pays both); inventario activated Nov 25;
 *                           checkout Dec 1 00:00:00.000 → upgrade 7990 (pays inventario exactly at the period's end)
 *  A7 (O7)  freemium        factura-plus activated Nov 20, revoked Nov 21; inventario activated Nov 22; checkout Dec 2 → first-period 7990
 *  A9 (O9)  freemium        usuarios-extra activated Nov 24, revoked Dec 5; remuneraciones activated Dec 10 (never paid)
 *  —        a work-order invoice (no kind) issued Nov 10 — never counted
 */
import type { Knex } from 'knex';
import type { StepContext } from '../../activities/context';
import { createActivities, type AnyActivity } from '../../activities/index';
import { startApiStack, type ApiStack } from '../support/api';
import { runCli, useCliEnvironment } from '../support/cli';

let stack: ApiStack;
let db: Knex;
let act: Record<string, AnyActivity>;
let token: string;
const owners = {} as Record<'C' | 'D', { id: string; email: string; name: string }>;

const FUNNEL = ['opportunity-assigned', 'opportunity-contacted', 'digital-proposal-delivered', 'conversion-to-account', 'closed-won', 'paid-account'];
const at = (s: string) => new Date(s).toISOString();

// ---- writing the scenario ----

let visit = 0;
/** A fresh step execution of `instanceId` (a unique idempotency key per call). */
function step(instanceId: string, stepId: string): StepContext {
  visit += 1;
  const [definitionId, businessKey] = instanceId.split(':');
  return { instanceId, definitionId, version: 1, businessKey, stepId, key: `${instanceId}:${stepId}:${visit}` };
}
const run = (name: string, input: Record<string, unknown>, c: StepContext) => act[name](input, c) as Promise<Record<string, any>>;

async function opportunity(name: string, channel: string, owner: 'C' | 'D'): Promise<string> {
  const ownerId = owners[owner].id;
  const [contact] = await db('contacts')
    .insert({ email: `${name.toLowerCase()}@funnel.cl`, name: `Contacto ${name}`, channel, owner_id: ownerId, created_at: at('2025-09-01') })
    .returning('id');
  const [opp] = await db('opportunities').insert({ contact_id: contact.id, channel, owner_id: ownerId, created_at: at('2025-09-01') }).returning('id');
  return opp.id;
}

/** A process instance of `definitionId` keyed by `businessKey` (the opportunity id). */
async function instance(definitionId: string, businessKey: string): Promise<string> {
  const id = `${definitionId}:${businessKey}`;
  await db('process_instances').insert({ id, workflow_id: id, definition_id: definitionId, version: 1, business_key: businessKey, started_by: 'scenario', started_at: at('2025-09-01') });
  return id;
}

async function stage(instanceId: string, name: string, when: string): Promise<void> {
  await act['engine.setStage']({ key: step(instanceId, `stage-${name}`).key, instanceId, stage: name, actor: 'scenario', at: at(when) });
}

async function account(instanceId: string, oppId: string, kind: 'trial' | 'freemium', planCode: string, startedAt: string): Promise<string> {
  const opp = await db('opportunities').where({ id: oppId }).first();
  const input = {
    email: `account-${oppId}@funnel.cl`, rut: '76.086.428-5', name: `Cuenta ${oppId.slice(0, 8)}`, planCode, channel: opp.channel,
    startedAt: at(startedAt), opportunityId: oppId, contactId: opp.contact_id, ownerId: opp.owner_id,
  };
  const created = await run(kind === 'trial' ? 'accounts.createTrial' : 'accounts.createFreemium', input, step(instanceId, 'createAccount'));
  return created.accountId;
}

async function activate(instanceId: string, accountId: string, module: string, when: string): Promise<void> {
  const { items } = await run('subscriptions.activateModules', { accountId, modules: [module] }, step(instanceId, 'addModules'));
  expect(items.map((i: { module: string }) => i.module)).toEqual([module]);
  await db('subscription_items').whereIn('id', items.map((i: { itemId: string }) => i.itemId)).update({ activated_at: at(when) });
}

async function revokeUnpaid(instanceId: string, accountId: string, when: string): Promise<void> {
  const { revoked } = await run('subscriptions.revokeUnpaid', { accountId }, step(instanceId, 'revokeUnpaid'));
  // Only the rows this call revoked (stamped now, after `when`); earlier revocations keep their time.
  await db('subscription_items').where({ account_id: accountId, status: 'revoked' }).whereIn('module_code', revoked).whereRaw('revoked_at > ?', [at(when)])
    .update({ revoked_at: at(when) });
}

/** A store payment: the checkout pays the activated items at `when`; its invoice is issued then too. */
async function checkout(instanceId: string, accountId: string, amount: number, when: string, expectedKind: 'first-period' | 'upgrade'): Promise<void> {
  const res = await run('billing.checkout', { accountId, amount, method: 'webpay', transactionId: `tx-${visit}`, paidAt: at(when) }, step(instanceId, 'checkout'));
  expect(res).toMatchObject({ kind: expectedKind, amount });
  await db('invoices').where({ id: res.invoiceId }).update({ issued_at: at(when) });
}

/**
 * Recurring billing renews period `n` of the account's subscription (issued at its start, from the
 * anchor (the first payment, as subscriptions.startBilling sets it) and the payment settles it at `paidAt`: MRR collected when paid.
 */
async function renew(accountId: string, n: number, amount: number, periodStart: string, paidAt: string): Promise<void> {
  // What subscriptions.startBilling does when the account becomes paid (it also starts the workflow, not run here).
  await db('subscriptions').where({ account_id: accountId }).whereNull('billing_anchor_at')
    .update({ billing_anchor_at: db('accounts').where({ id: accountId }).select('first_paid_at') });
  const sub = await db('subscriptions').where({ account_id: accountId }).first('id');
  const issued = (await act['subscriptionBilling.issue']({ subscriptionId: sub.id, periodIndex: n })) as { invoiceId: string; amount: number; periodStart: string };
  expect(issued).toMatchObject({ amount, periodStart: at(periodStart) });
  await db('invoices').where({ id: issued.invoiceId }).update({ issued_at: at(periodStart) });
  const payment = { paymentKey: `renewal-${accountId}-${n}`, amount, currency: 'CLP', method: 'webpay', paidAt: at(paidAt) };
  expect(await act['subscriptionBilling.settle']({ invoiceId: issued.invoiceId, payment })).toMatchObject({ paid: true });
}

async function writeScenario(): Promise<void> {
  for (const [key, email] of [['C', 'camila.rojas@cauce.example'], ['D', 'diego.fuentes@cauce.example']] as const) {
    owners[key] = await db('owners').where({ email }).first('id', 'email', 'name');
  }

  const o1 = await opportunity('O1', 'landing', 'C');
  const o1Lead = await instance('digital-opportunity', o1);
  await stage(o1Lead, 'opportunity-assigned', '2025-10-20T10:00Z');
  await stage(o1Lead, 'opportunity-contacted', '2025-11-02T10:00Z');
  await stage(o1Lead, 'digital-proposal-delivered', '2025-11-05T10:00Z');
  const o1Trial = await instance('trial-lifecycle', o1);
  const a1 = await account(o1Trial, o1, 'trial', 'trial-pyme', '2025-11-10T10:00Z');
  await stage(o1Trial, 'conversion-to-account', '2025-11-10T10:00Z');
  await activate(o1Trial, a1, 'factura-plus', '2025-11-12T10:00Z');
  await stage(o1Trial, 'closed-won', '2025-11-12T10:00Z');
  await checkout(o1Trial, a1, 35980, '2025-11-15T10:00Z', 'first-period');
  await stage(o1Trial, 'paid-account', '2025-11-15T10:00Z');
  await activate(o1Trial, a1, 'inventario', '2025-11-29T10:00Z');
  await checkout(o1Trial, a1, 7990, '2025-11-30T23:00Z', 'upgrade');

  const o2 = await opportunity('O2', 'landing', 'D');
  const o2Lead = await instance('digital-opportunity', o2);
  await stage(o2Lead, 'opportunity-assigned', '2025-11-03T10:00Z');
  await stage(o2Lead, 'opportunity-contacted', '2025-11-04T10:00Z');
  await stage(o2Lead, 'digital-proposal-delivered', '2025-11-08T10:00Z');
  const o2Trial = await instance('trial-lifecycle', o2);
  const a2 = await account(o2Trial, o2, 'trial', 'trial-emprende', '2025-11-19T10:00Z');
  await stage(o2Trial, 'closed-won', '2025-11-20T10:00Z');
  await checkout(o2Trial, a2, 14990, '2025-11-20T10:05Z', 'first-period');
  await stage(o2Trial, 'paid-account', '2025-11-20T10:05Z');

  const o3 = await opportunity('O3', 'ecommerce', 'C');
  const o3Trial = await instance('trial-lifecycle', o3);
  await account(o3Trial, o3, 'trial', 'trial-pyme', '2025-10-31T23:59Z');
  await stage(o3Trial, 'conversion-to-account', '2025-11-01T00:00:00.000Z');
  await stage(o3Trial, 'opportunity-lost', '2025-11-30T23:59:59Z');

  const o4 = await opportunity('O4', 'ecommerce', 'D');
  const o4Trial = await instance('trial-lifecycle', o4);
  const a4 = await account(o4Trial, o4, 'trial', 'trial-pyme', '2025-10-05T10:00Z');
  await stage(o4Trial, 'conversion-to-account', '2025-10-05T10:00Z');
  await stage(o4Trial, 'closed-won', '2025-10-20T10:00Z');
  await checkout(o4Trial, a4, 29990, '2025-10-20T10:00Z', 'first-period');
  await stage(o4Trial, 'paid-account', '2025-10-20T10:00Z');
  await activate(o4Trial, a4, 'usuarios-extra', '2025-10-25T10:00Z');
  await activate(o4Trial, a4, 'remuneraciones', '2025-11-18T09:00Z');
  await checkout(o4Trial, a4, 14980, '2025-11-18T09:30Z', 'upgrade');
  await renew(a4, 1, 44970, '2025-11-20T10:00:00.000Z', '2025-11-22T12:00Z');
  await activate(o4Trial, a4, 'inventario', '2025-11-25T10:00Z');
  await checkout(o4Trial, a4, 7990, '2025-12-01T00:00:00.000Z', 'upgrade');

  const o5 = await opportunity('O5', 'hubspot', 'C');
  const o5Lead = await instance('digital-opportunity', o5);
  await stage(o5Lead, 'opportunity-assigned', '2025-11-06T10:00Z');
  await stage(o5Lead, 'opportunity-contacted', '2025-11-09T10:00Z');
  await stage(o5Lead, 'opportunity-contacted', '2025-11-10T10:00Z');
  await stage(o5Lead, 'opportunity-lost', '2025-11-14T10:00Z');

  const o6 = await opportunity('O6', 'hubspot', 'D');
  const o6Lead = await instance('digital-opportunity', o6);
  await stage(o6Lead, 'opportunity-assigned', '2025-11-28T10:00Z');
  await stage(o6Lead, 'opportunity-contacted', '2025-12-01T00:00:00.000Z');
  await stage(o6Lead, 'digital-proposal-delivered', '2025-12-03T10:00Z');

  const o7 = await opportunity('O7', 'ecommerce', 'C');
  const o7Freemium = await instance('freemium-account', o7);
  const a7 = await account(o7Freemium, o7, 'freemium', 'freemium', '2025-10-28T10:00Z');
  await stage(o7Freemium, 'conversion-to-account', '2025-10-28T10:00Z');
  await activate(o7Freemium, a7, 'factura-plus', '2025-11-20T10:00Z');
  await revokeUnpaid(o7Freemium, a7, '2025-11-21T10:00Z');
  await activate(o7Freemium, a7, 'inventario', '2025-11-22T10:00Z');
  await stage(o7Freemium, 'closed-won', '2025-11-22T10:00Z');
  await checkout(o7Freemium, a7, 7990, '2025-12-02T10:00Z', 'first-period');
  await stage(o7Freemium, 'paid-account', '2025-12-02T10:00Z');

  const o8 = await opportunity('O8', 'landing', 'D');
  const o8Lead = await instance('digital-opportunity', o8);
  await stage(o8Lead, 'opportunity-assigned', '2025-10-02T10:00Z');
  await stage(o8Lead, 'opportunity-lost', '2025-10-15T10:00Z');

  const o9 = await opportunity('O9', 'hubspot', 'D');
  const o9Freemium = await instance('freemium-account', o9);
  const a9 = await account(o9Freemium, o9, 'freemium', 'freemium', '2025-09-15T10:00Z');
  await stage(o9Freemium, 'conversion-to-account', '2025-09-15T10:00Z');
  await activate(o9Freemium, a9, 'usuarios-extra', '2025-11-24T10:00Z');
  await revokeUnpaid(o9Freemium, a9, '2025-12-05T10:00Z');
  await activate(o9Freemium, a9, 'remuneraciones', '2025-12-10T10:00Z');

  // Not digital-sale figures: another process's stage, and an invoice without a kind.
  const assisted = await instance('assisted-sale', 'MND-000123');
  await stage(assisted, 'closed-won', '2025-11-10T10:00Z');
  const workOrderInvoice = await run('invoices.issue', {
    customerTaxId: '76.086.428-5', customerName: 'Cliente OT', description: 'OT-000001', amount: 99000, channel: 'Asistido',
  }, step(assisted, 'issueInvoice'));
  await db('invoices').where({ id: workOrderInvoice.invoiceId }).update({ issued_at: at('2025-11-10T10:00Z') });
}

// ---- reading the report ----

interface Figures {
  /** Counts for the six funnel stages, in order. */
  stages: number[];
  /** Rates for the five consecutive pairs, in order. */
  rates: Array<number | null>;
  lost: number;
  newCustomers: number;
  mrr: [count: number, amount: number];
  rrr: [count: number, amount: number];
}

const figures = (f: Figures) => ({
  stages: FUNNEL.map((stage, i) => ({ stage, count: f.stages[i] })),
  conversions: FUNNEL.slice(0, -1).map((from, i) => ({ from, to: FUNNEL[i + 1], rate: f.rates[i] })),
  lost: f.lost,
  newCustomers: f.newCustomers,
  mrrCollected: { count: f.mrr[0], amount: f.mrr[1] },
  rrrWon: { count: f.rrr[0], amount: f.rrr[1] },
  currency: 'CLP',
});

const funnel = (params: Record<string, string>, as = token) => stack.request('GET', `/api/reports/funnel?${new URLSearchParams(params)}`, as);

async function report(params: Record<string, string>) {
  const res = await funnel(params);
  expect(res.status).toBe(200);
  return res.body;
}

const NOVEMBER = { from: '2025-11-01', to: '2025-11-30' };

// Unfiltered November. Stage entries inside [Nov 1, Dec 1), per opportunity:
//   O1 contacted, proposal, conversion, closed-won, paid   O2 assigned, contacted, proposal, closed-won, paid
//   O3 conversion, lost                                    O5 assigned, contacted (twice: one opportunity), lost
//   O6 assigned (contacted is at Dec 1 00:00, excluded)    O7 closed-won          O4, O8, O9: nothing in November
//   assigned   O2 O5 O6 = 3      contacted O1 O2 O5 = 3      proposal O1 O2 = 2
//   conversion O1 O3 = 2         closed-won O1 O2 O7 = 3     paid     O1 O2 = 2      lost O3 O5 = 2
// Furthest funnel stage reached in November: O1 paid(6), O2 paid(6), O3 conversion(4), O5 contacted(2), O6 assigned(1), O7 closed-won(5).
//   assigned→contacted: of O2 O5 O6, past assigned: O2 O5           = 2/3
//   contacted→proposal: of O1 O2 O5, past contacted: O1 O2          = 2/3
//   proposal→conversion: of O1 O2, past proposal: O1 O2 (O2 skipped conversion, reached closed-won) = 2/2 = 1
//   conversion→closed-won: of O1 O3, past conversion: O1            = 1/2
//   closed-won→paid: of O1 O2 O7, past closed-won: O1 O2            = 2/3
// New customers: first-period invoices A1 Nov 15, A2 Nov 20 = 2 (A4 Oct 20 and A7 Dec 2 are outside).
// MRR: upgrade invoices A4 Nov 18 14980 + A1 Nov 30 23:00 7990, and A4's first renewal (period from Nov 20,
//   base 29990 + the paid usuarios-extra 4990 and remuneraciones 9990) paid Nov 22: 44970 = 3, 67940
//   (A4 Dec 1 00:00 is outside).
// RRR: items activated in November not paid/revoked before Dec 1 00:00:
//   A4 inventario 7990 (paid exactly Dec 1 00:00: not before the end), A7 inventario 7990 (paid Dec 2),
//   A9 usuarios-extra 4990 (revoked Dec 5) = 3, 20970. Not: A1 factura-plus (paid Nov 15), A1 inventario
//   (paid Nov 30), A4 remuneraciones (paid Nov 18), A4 usuarios-extra (activated Oct 25), A7 factura-plus (revoked Nov 21).
const NOVEMBER_ALL: Figures = { stages: [3, 3, 2, 2, 3, 2], rates: [2 / 3, 2 / 3, 1, 1 / 2, 2 / 3], lost: 2, newCustomers: 2, mrr: [3, 67940], rrr: [3, 20970] };

beforeAll(async () => {
  stack = await startApiStack('funnel');
  db = stack.db;
  act = createActivities({ db });
  await writeScenario();
  token = await stack.login('sales');
});

afterAll(async () => {
  await stack?.close();
});

describe('GET /api/reports/funnel', () => {
  test('November, unfiltered: the hand-computed figures, the period as a half-open interval', async () => {
    expect(await report(NOVEMBER)).toEqual({
      period: { from: '2025-11-01T00:00:00.000Z', to: '2025-12-01T00:00:00.000Z' },
      filters: { channel: null, owner: null },
      ...figures(NOVEMBER_ALL),
    });
  });

  test('by channel', async () => {
    // landing = O1, O2, O8 (O8 has nothing in November).
    //   assigned O2 = 1, contacted O1 O2 = 2, proposal O1 O2 = 2, conversion O1 = 1, closed-won O1 O2 = 2, paid O1 O2 = 2, lost 0.
    //   Rates: O2 past assigned 1/1; O1 O2 past contacted 2/2; past proposal 2/2; O1 past conversion 1/1; O1 O2 paid 2/2.
    //   New customers A1, A2 = 2; MRR A1 Nov 30 = 1, 7990; RRR: A1's items were both paid in November = 0.
    const landing = await report({ ...NOVEMBER, channel: 'landing' });
    expect(landing.filters).toEqual({ channel: 'landing', owner: null });
    expect(landing).toMatchObject(figures({ stages: [1, 2, 2, 1, 2, 2], rates: [1, 1, 1, 1, 1], lost: 0, newCustomers: 2, mrr: [1, 7990], rrr: [0, 0] }));

    // hubspot = O5, O6, O9: assigned O5 O6 = 2, contacted O5 = 1, lost O5 = 1, nothing else.
    //   Rates: assigned→contacted O5 of O5 O6 = 1/2; contacted→proposal O5 stopped = 0/1; later pairs nobody entered = null.
    //   No invoices; RRR A9 usuarios-extra = 1, 4990.
    expect(await report({ ...NOVEMBER, channel: 'hubspot' })).toMatchObject(
      figures({ stages: [2, 1, 0, 0, 0, 0], rates: [1 / 2, 0, null, null, null], lost: 1, newCustomers: 0, mrr: [0, 0], rrr: [1, 4990] }),
    );
  });

  test('by owner, by email or id, combined with a channel', async () => {
    // Diego = O2, O4, O6, O8, O9. assigned O2 O6 = 2, contacted O2 = 1, proposal O2 = 1, conversion 0, closed-won O2 = 1, paid O2 = 1, lost 0.
    //   Rates: O2 of O2 O6 = 1/2; 1/1; O2 skipped conversion but reached paid = 1/1; nobody entered conversion = null; 1/1.
    //   New customers A2 = 1; MRR A4 Nov 18 = 1, 14980; RRR A4 inventario 7990 + A9 usuarios-extra 4990 = 2, 12980.
    const diego = figures({ stages: [2, 1, 1, 0, 1, 1], rates: [1 / 2, 1, 1, null, 1], lost: 0, newCustomers: 1, mrr: [2, 59950], rrr: [2, 12980] });
    const byEmail = await report({ ...NOVEMBER, owner: 'Diego.Fuentes@cauce.example' });
    expect(byEmail).toMatchObject(diego);
    expect(byEmail.filters).toEqual({ channel: null, owner: { id: owners.D.id, name: 'Diego Fuentes', email: 'diego.fuentes@cauce.example' } });
    expect(await report({ ...NOVEMBER, owner: owners.D.id })).toEqual(byEmail);

    // Camila on ecommerce = O3, O7: conversion O3 = 1, closed-won O7 = 1, lost O3 = 1.
    //   Rates: null, null, null, O3 never passed conversion 0/1, O7 not paid in November 0/1.
    //   No invoices in November (A7 pays Dec 2); RRR A7 inventario = 1, 7990 (its factura-plus was revoked Nov 21).
    const camilaEcommerce = await report({ ...NOVEMBER, owner: owners.C.id, channel: 'ecommerce' });
    expect(camilaEcommerce.filters).toEqual({ channel: 'ecommerce', owner: { id: owners.C.id, name: 'Camila Rojas', email: 'camila.rojas@cauce.example' } });
    expect(camilaEcommerce).toMatchObject(
      figures({ stages: [0, 0, 0, 1, 1, 0], rates: [null, null, null, 0, 0], lost: 1, newCustomers: 0, mrr: [0, 0], rrr: [1, 7990] }),
    );
  });

  test('period boundaries: from inclusive, a date-time to exclusive, a date-only to includes its day', async () => {
    // One millisecond later and one second earlier than November's edges: O3's conversion (Nov 1 00:00:00.000)
    // and O3's loss (Nov 30 23:59:59) drop out, so conversion = O1 = 1 (rate conversion→closed-won 1/1) and lost = O5 = 1.
    // MRR keeps A1's Nov 30 23:00 invoice; RRR's end moves before Dec 1, where A4's inventario is still unpaid.
    const inner = await report({ from: '2025-11-01T00:00:00.001Z', to: '2025-11-30T23:59:59Z' });
    expect(inner.period).toEqual({ from: '2025-11-01T00:00:00.001Z', to: '2025-11-30T23:59:59.000Z' });
    expect(inner).toMatchObject(figures({ ...NOVEMBER_ALL, stages: [3, 3, 2, 1, 3, 2], rates: [2 / 3, 2 / 3, 1, 1, 2 / 3], lost: 1 }));

    // December from its first instant: O6 contacted (Dec 1 00:00, inclusive) and proposal Dec 3; O7 paid Dec 2.
    //   Rates: contacted→proposal O6 1/1; proposal→conversion O6 stopped 0/1; the others nobody entered = null.
    //   New customers A7 Dec 2 = 1; MRR A4 Dec 1 00:00 = 1, 7990; RRR A9 remuneraciones Dec 10 (unpaid) = 1, 9990.
    const december = await report({ from: '2025-12-01', to: '2025-12-31' });
    expect(december.period).toEqual({ from: '2025-12-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' });
    expect(december).toMatchObject(
      figures({ stages: [0, 1, 1, 0, 0, 1], rates: [null, 1, 0, null, null], lost: 0, newCustomers: 1, mrr: [1, 7990], rrr: [1, 9990] }),
    );

    // The single day Nov 30 (date-only from = to): O3's loss at 23:59:59 and A1's upgrade at 23:00 are in it.
    const none = { stages: [0, 0, 0, 0, 0, 0], rates: [null, null, null, null, null], lost: 0, newCustomers: 0, mrr: [0, 0], rrr: [0, 0] } as Figures;
    const lastDay = await report({ from: '2025-11-30', to: '2025-11-30' });
    expect(lastDay.period).toEqual({ from: '2025-11-30T00:00:00.000Z', to: '2025-12-01T00:00:00.000Z' });
    expect(lastDay).toMatchObject(figures({ ...none, lost: 1, mrr: [1, 7990] }));
    // The same day up to a date-time 00:00 is an empty interval.
    expect(await report({ from: '2025-11-30', to: '2025-11-30T00:00:00Z' })).toMatchObject(figures(none));
    // An offset is honoured: Nov 30 20:59:59-03:00 = Nov 30 23:59:59Z, exclusive, so O3's loss is out again.
    expect(await report({ from: '2025-11-30', to: '2025-11-30T20:59:59-03:00' })).toMatchObject(figures({ ...none, mrr: [1, 7990] }));
  });

  test('an empty period: zero counts, null rates, zero amounts', async () => {
    expect(await report({ from: '2025-01-01', to: '2025-01-31' })).toEqual({
      period: { from: '2025-01-01T00:00:00.000Z', to: '2025-02-01T00:00:00.000Z' },
      filters: { channel: null, owner: null },
      ...figures({ stages: [0, 0, 0, 0, 0, 0], rates: [null, null, null, null, null], lost: 0, newCustomers: 0, mrr: [0, 0], rrr: [0, 0] }),
    });
  });

  test('bad parameters: each error names its parameter', async () => {
    const expectProblem = async (params: Record<string, string>, status: number, code: string, param: string) => {
      const res = await funnel(params);
      expect(res.status).toBe(status);
      expect(res.body.error).toMatchObject({ code, message: expect.any(String) });
      expect(res.body.error.details).toContainEqual(expect.objectContaining({ in: 'query', path: `/${param}`, message: expect.any(String) }));
      return res.body.error;
    };
    await expectProblem({ to: '2025-11-30' }, 400, 'invalid_request', 'from');
    await expectProblem({ from: '2025-11-01' }, 400, 'invalid_request', 'to');
    await expectProblem({ from: '2025-13-01', to: '2025-11-30' }, 400, 'invalid_request', 'from');
    await expectProblem({ from: '2025-11-01', to: 'yesterday' }, 400, 'invalid_request', 'to');
    // A date-time needs its offset: "local time" would be a guess.
    await expectProblem({ from: '2025-11-01T00:00:00', to: '2025-11-30' }, 400, 'invalid_request', 'from');
    await expectProblem({ ...NOVEMBER, region: 'RM' }, 400, 'invalid_request', 'region');
    // A leap second is valid RFC 3339 but no JavaScript date: still a 400, not a 500.
    await expectProblem({ from: '2025-11-01', to: '2025-11-30T23:59:60Z' }, 400, 'invalid_request', 'to');
    await expectProblem({ from: '2025-11-30', to: '2025-11-01' }, 422, 'invalid_period', 'to');
    expect((await expectProblem({ ...NOVEMBER, channel: 'fax' }, 422, 'unknown_channel', 'channel')).message).toContain("'fax'");
    expect((await expectProblem({ ...NOVEMBER, owner: 'nobody@cauce.example' }, 422, 'unknown_owner', 'owner')).message).toContain('nobody@cauce.example');
    await expectProblem({ ...NOVEMBER, owner: '00000000-0000-4000-8000-000000000000' }, 422, 'unknown_owner', 'owner');
  });

  test('who may read it: the sales-side roles; others get 403, no token 401', async () => {
    for (const role of ['admin', 'dcs', 'support', 'billing', 'digital-sales-lead']) {
      expect((await funnel(NOVEMBER, await stack.login(role))).status).toBe(200);
    }
    const refused = await funnel(NOVEMBER, await stack.login('consultant'));
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      error: { code: 'forbidden', message: expect.stringContaining('digital-sales-lead'), details: { requiredRoles: ['admin', 'sales', 'dcs', 'support', 'billing', 'digital-sales-lead'] } },
    });
    expect((await stack.request('GET', '/api/reports/funnel?from=2025-11-01&to=2025-11-30')).status).toBe(401);
  });

  test('every figure is one aggregate query that starts from its period index', async () => {
    const queries: Array<{ sql: string; bindings: unknown[] }> = [];
    const capture = (q: { sql: string; bindings: unknown[] }) => {
      if (/\bfrom (audit_events|invoices|subscription_items)\b/.test(q.sql)) queries.push(q);
    };
    db.on('query', capture);
    try {
      await report(NOVEMBER);
      await report({ ...NOVEMBER, channel: 'landing', owner: owners.C.id });
    } finally {
      db.removeListener('query', capture);
    }
    expect(queries).toHaveLength(6);
    // These tables are tiny, so the planner would rightly scan them whole; with sequential scans
    // priced out it shows the path it has at scale, which must be an index for every table it reads.
    const plans = await db.transaction(async (trx) => {
      await trx.raw('set local enable_seqscan = off');
      const out: string[] = [];
      for (const q of queries) {
        const { rows } = await trx.raw(`explain ${q.sql.replace(/\$\d+/g, '?')}`, q.bindings as any[]);
        out.push(rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'));
      }
      return out;
    });
    for (const plan of plans) expect(plan).not.toMatch(/Seq Scan/);
    const periodIndex = (plan: string) => /Index Scan using (audit_events_stage_changes|invoices_issued_at_index|subscription_items_activated_at_index)/.exec(plan)?.[1];
    expect(plans.map(periodIndex).sort()).toEqual(
      ['audit_events_stage_changes', 'audit_events_stage_changes', 'invoices_issued_at_index', 'invoices_issued_at_index',
        'subscription_items_activated_at_index', 'subscription_items_activated_at_index'],
    );
  });

  test('is in the OpenAPI document', async () => {
    const doc = (await stack.request('GET', '/api/openapi.json')).body;
    const op = doc.paths['/api/reports/funnel'].get;
    expect(op.parameters.map((p: { name: string; required: boolean }) => `${p.name}${p.required ? '*' : ''}`)).toEqual(['from*', 'to*', 'channel', 'owner']);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '422']));
  });
});

describe('cauce report funnel', () => {
  // The CLI reads its token from CAUCE_TOKEN first; its config dir is kept away from the real home anyway.
  useCliEnvironment(() => ({ CAUCE_TOKEN: token }));
  const cauce = (...args: string[]) => runCli(stack.baseUrl, ...args);

  test('prints the stage counts, conversion rates and the money figures of November', async () => {
    const run = await cauce('report', 'funnel', '--from', '2025-11-01', '--to', '2025-11-30');
    expect(run).toMatchObject({ code: 0, err: '' });
    const lines = run.out.split('\n');
    expect(lines[0]).toBe('Funnel 2025-11-01 00:00:00Z to 2025-12-01 00:00:00Z (exclusive); channel: all; owner: all');
    // The same numbers as the unfiltered API test (NOVEMBER_ALL), as tables.
    const expected = [
      /^STAGE\s+COUNT$/,
      /^opportunity-assigned\s+3$/, /^opportunity-contacted\s+3$/, /^digital-proposal-delivered\s+2$/,
      /^conversion-to-account\s+2$/, /^closed-won\s+3$/, /^paid-account\s+2$/,
      /^FROM\s+TO\s+RATE$/,
      /^opportunity-assigned\s+opportunity-contacted\s+66\.7%$/,
      /^opportunity-contacted\s+digital-proposal-delivered\s+66\.7%$/,
      /^digital-proposal-delivered\s+conversion-to-account\s+100\.0%$/,
      /^conversion-to-account\s+closed-won\s+50\.0%$/,
      /^closed-won\s+paid-account\s+66\.7%$/,
      /^FIGURE\s+COUNT\s+AMOUNT$/,
      /^lost\s+2\s+-$/, /^new customers\s+2\s+-$/, /^MRR collected\s+3\s+CLP 67,940$/, /^RRR won\s+3\s+CLP 20,970$/,
    ];
    let from = 0;
    for (const re of expected) {
      const i = lines.findIndex((l, n) => n >= from && re.test(l));
      if (i < 0) throw new Error(`no line matching ${re} after line ${from}:\n${run.out}`);
      from = i + 1;
    }
  });

  test('filters, --json and errors', async () => {
    const owner = await cauce('report', 'funnel', '--from', '2025-11-01', '--to', '2025-11-30', '--owner', 'diego.fuentes@cauce.example', '--channel', 'landing');
    expect(owner.code).toBe(0);
    expect(owner.out.split('\n')[0]).toBe('Funnel 2025-11-01 00:00:00Z to 2025-12-01 00:00:00Z (exclusive); channel: landing; owner: Diego Fuentes <diego.fuentes@cauce.example>');
    // Diego on landing = O2 alone: assigned, contacted, proposal, closed-won, paid; its first invoice; no MRR or RRR.
    expect(owner.out).toMatch(/^digital-proposal-delivered\s+conversion-to-account\s+100\.0%$/m);
    expect(owner.out).toMatch(/^conversion-to-account\s+closed-won\s+-$/m);
    expect(owner.out).toMatch(/^new customers\s+1\s+-$/m);
    expect(owner.out).toMatch(/^RRR won\s+0\s+CLP 0$/m);

    const json = await cauce('--json', 'report', 'funnel', '--from', '2025-11-01', '--to', '2025-11-30');
    expect(JSON.parse(json.out)).toEqual(await report(NOVEMBER));

    const bad = await cauce('report', 'funnel', '--from', '2025-11-01', '--to', '2025-11-30', '--channel', 'fax');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('(HTTP 422 unknown_channel)');
    expect(bad.err).toMatch(/^ {2}query \/channel: no channel 'fax'$/m);
  });
});

