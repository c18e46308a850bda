/**
 * Digital accounts through the HTTP API (real app, worker, dev server and Postgres): signup validation,
 * the payment webhook and its idempotency, seller attribution on the invoice, and upgrades.
 */
import { eventually, startApiStack, type ApiStack } from '../support/api';

let stack: ApiStack;
let store: string;
let sales: string;

beforeAll(async () => {
  stack = await startApiStack('accounts');
  store = await stack.login('integration');
  sales = await stack.login('sales');
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

let seq = 0;
/** A fresh, valid signup: unique email, a RUT with a correct check digit. */
function signup(overrides: Record<string, unknown> = {}) {
  seq += 1;
  return { kind: 'trial', email: `cliente${seq}@empresa${seq}.cl`, rut: '76.086.428-5', name: `Empresa ${seq} SpA`, channel: 'ecommerce', ...overrides };
}

const post = (path: string, body: unknown, token = store, headers: Record<string, string> = {}) => stack.request('POST', path, token, body, { headers });
const pay = (key: string, body: Record<string, unknown>) => post('/api/webhooks/payments', body, store, { 'idempotency-key': key });

/** A signed-up account. Payments are sent at once: one that beats the process to its wait is kept for it. */
async function created(overrides: Record<string, unknown> = {}) {
  const res = await post('/api/accounts', signup(overrides));
  expect(res.status).toBe(201);
  return res.body as { accountId: string; opportunityId: string; processId: string; definitionId: string };
}

async function invoicesOf(accountId: string) {
  return eventually(() => stack.db('invoices').where({ account_id: accountId }), (rows) => rows.length > 0, `an invoice of ${accountId}`);
}

describe('signup', () => {
  test('creates a trial account, its opportunity and its process, and reports them', async () => {
    const body = signup({ rut: '760864285', channel: 'partner', addons: ['remuneraciones'] }); // RUT without dots or dash
    const res = await post('/api/accounts', body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ accountId: expect.any(String), opportunityId: expect.any(String), definitionId: 'trial-lifecycle', status: 'trial', expiresAt: expect.any(String) });

    const detail = await stack.request('GET', `/api/accounts/${res.body.accountId}`, sales);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      email: body.email,
      rut: '76086428-5',
      kind: 'trial',
      planCode: 'trial-pyme',
      source: 'partner',
      basePrice: 29990,
      states: { conversion: 'trial', payment: 'none', activation: 'trial', operation: 'setup' },
      subscription: { planCode: 'trial-pyme', status: 'trial' },
      amountDue: 29990,
      opportunityId: res.body.opportunityId,
    });
    expect(detail.body.processes).toEqual([expect.objectContaining({ id: res.body.processId, definitionId: 'trial-lifecycle', status: 'running' })]);
    const trialDays = (Date.parse(detail.body.trialEndsAt) - Date.parse(detail.body.createdAt)) / 86_400_000;
    expect(trialDays).toBeCloseTo(30, 1);
    const opportunity = await stack.db('opportunities').where({ id: res.body.opportunityId }).first();
    expect(opportunity).toMatchObject({ channel: 'partner', status: 'open', account_id: res.body.accountId });
    await eventually(() => stack.db('process_instances').where({ id: res.body.processId }).first(), (r) => r.stage === 'conversion-to-account', 'the stage');
  });

  test('refuses a bad RUT, naming it, and writes nothing', async () => {
    for (const rut of ['76.086.428-4', '12345', 'abc']) {
      const body = signup({ rut });
      const res = await post('/api/accounts', body);
      expect({ rut, status: res.status, code: res.body.error.code }).toEqual({ rut, status: 422, code: 'invalid_rut' });
      expect(res.body.error.details).toEqual([expect.objectContaining({ in: 'body', path: '/rut' })]);
      expect(await stack.db('contacts').where({ email: body.email })).toEqual([]);
    }
  });

  test('refuses an email already used by an account (409) without a second account', async () => {
    const first = signup();
    expect((await post('/api/accounts', first)).status).toBe(201);
    const again = await post('/api/accounts', { ...signup(), email: first.email.toUpperCase(), kind: 'freemium' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'email_taken', details: { email: first.email } });
    expect(await stack.db('accounts').where({ email: first.email })).toHaveLength(1);
  });

  test('refuses malformed and inconsistent bodies with the field named', async () => {
    const cases: Array<[Record<string, unknown>, number, string, string]> = [
      [{ email: 'not-an-email' }, 400, 'invalid_request', '/email'],
      [{ kind: 'gold' }, 400, 'invalid_request', '/kind'],
      [{ channel: 'fax' }, 400, 'invalid_request', '/channel'],
      [{ planCode: 'no-such-plan' }, 422, 'unknown_plan', '/planCode'],
      [{ planCode: 'freemium' }, 422, 'plan_kind_mismatch', '/planCode'],
      [{ addons: ['teleport'] }, 422, 'unknown_module', '/addons'],
      [{ kind: 'freemium', addons: ['inventario'] }, 422, 'addons_not_allowed', '/addons'],
    ];
    for (const [override, status, code, path] of cases) {
      const res = await post('/api/accounts', signup(override));
      expect({ override, status: res.status, code: res.body.error.code }).toEqual({ override, status, code });
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    }
  });

  test('needs a signed-in caller with a signup role', async () => {
    expect((await stack.request('POST', '/api/accounts', undefined, signup())).status).toBe(401);
    const res = await post('/api/accounts', signup(), await stack.login('production'));
    expect(res.status).toBe(403);
  });

  test('closes the contact\'s lead funnel when the contact signs up', async () => {
    const email = `lead${Date.now()}@panaderia.cl`;
    const lead = await post('/api/opportunities', { email, name: 'Panadería Lead', channel: 'landing' }, sales);
    expect(lead.status).toBe(201);
    const account = await created({ email });
    expect(account.opportunityId).toBe(lead.body.opportunityId);
    const funnel = await stack.request('GET', `/api/processes/${lead.body.processId}`, sales);
    expect(funnel.body.definitionId).toBe('digital-opportunity');
    // The lead's open first-contact task is withdrawn and the funnel hands the sale over.
    const ended = await eventually(() => stack.request('GET', `/api/processes/${lead.body.processId}`, sales), (r) => r.body.status !== 'running', 'the lead funnel to end');
    expect(ended.body).toMatchObject({ status: 'completed', outcome: 'converted' });
    expect(await stack.db('tasks').where({ instance_id: lead.body.processId }).pluck('status')).toEqual(['cancelled']);
  });
});

describe('a signup whose process fails before writing the account', () => {
  afterEach(async () => {
    await stack.db.raw('drop trigger if exists signup_fails on accounts; drop trigger if exists signup_fails on opportunities; drop function if exists signup_fails()');
  });

  test('is 409 email_taken only when the process failed with EmailTaken (a race for the email)', async () => {
    const body = signup();
    // Another signup takes the email just as this process inserts it: the unique index refuses the insert.
    await stack.db.raw(`create function signup_fails() returns trigger language plpgsql as $$ begin
      if new.email = '${body.email}' then raise exception 'duplicate email' using errcode = 'unique_violation', constraint = 'accounts_email_unique'; end if;
      return new; end $$`);
    await stack.db.raw('create trigger signup_fails before insert on accounts for each row execute function signup_fails()');
    const res = await post('/api/accounts', body);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'email_taken', details: { email: body.email, processId: expect.any(String) } });
    expect(await stack.db('process_instances').where({ id: res.body.error.details.processId }).first()).toMatchObject({ status: 'failed' });
  });

  test('is 502 account_process_failed, with the reason, for any other failure', async () => {
    const plan = await stack.db('plans').where({ code: 'trial-pyme' }).first();
    await stack.db('plans').insert({ ...plan, code: 'trial-withdrawn' });
    // The plan is withdrawn right after the API checked it, before the process reads it.
    await stack.db.raw(`create function signup_fails() returns trigger language plpgsql as $$ begin
      update plans set active = false where code = 'trial-withdrawn'; return new; end $$`);
    await stack.db.raw('create trigger signup_fails after insert on opportunities for each row execute function signup_fails()');
    const res = await post('/api/accounts', signup({ planCode: 'trial-withdrawn' }));
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({ code: 'account_process_failed', message: expect.stringContaining('no active plan'), details: { failureType: 'InvalidInput' } });
  });
});

describe('payment webhook', () => {
  test('of ten payments at once with distinct keys one is billed, the rest are refused at once, and a refused key is tried again', async () => {
    const { accountId, processId } = await created({ addons: [] });
    const body = (n: number) => ({ accountId, amount: 29990, currency: 'CLP', method: 'webpay', transactionId: `tx-race-${n}` });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, n) => pay(`race-${n}`, body(n))));
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    for (const refused of answers.filter((a) => a.status !== 202)) {
      expect(refused.status).toBe(409);
      expect(['EventInFlight', 'EventNotAwaited', 'nothing_due']).toContain(refused.body.error.code);
    }
    expect(await invoicesOf(accountId)).toHaveLength(1);
    await eventually(() => stack.db('process_instances').where({ id: processId }).first(), (r) => r.stage === 'paid-account', 'paid-account');
    // A refused key left no record: its retry is judged again (nothing is due now), never "duplicate".
    const loser = answers.findIndex((a) => a.status !== 202);
    const retried = await pay(`race-${loser}`, body(loser));
    expect(retried.status).toBe(409);
    expect(retried.body.error.code).toBe('nothing_due');
    expect(await stack.db('webhook_deliveries').whereLike('idempotency_key', 'race-%')).toHaveLength(1);
  });

  test('converts the trial once, however many times the store repeats the webhook', async () => {
    const { accountId, processId } = await created({ addons: [] });
    const body = { accountId, amount: 29990, currency: 'CLP', method: 'webpay', transactionId: 'tx-1001' };
    const first = await pay('store-delivery-1', body);
    expect([first.status, first.body.error?.message]).toEqual([202, undefined]);
    expect(first.body).toMatchObject({ accepted: true, duplicate: false, processId, amountDue: 29990 });
    const again = await pay('store-delivery-1', body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, processId });

    const invoices = await invoicesOf(accountId);
    await eventually(() => stack.db('process_instances').where({ id: processId }).first(), (r) => r.stage === 'paid-account', 'paid-account');
    // A new delivery id for the same payment finds nothing due any more.
    const redelivered = await pay('store-delivery-2', body);
    expect(redelivered.status).toBe(409);
    expect(redelivered.body.error.code).toBe('nothing_due');
    expect(invoices).toHaveLength(1);
    expect(await stack.db('invoices').where({ account_id: accountId })).toHaveLength(1);
    expect(await stack.db('payments').where({ account_id: accountId })).toHaveLength(1);
    expect(await stack.db('webhook_deliveries').where({ account_id: accountId })).toHaveLength(1);
  });

  test('refuses a webhook without an Idempotency-Key, with a wrong amount, or reusing a key for another payment', async () => {
    const { accountId } = await created();
    const body = { accountId, amount: 29990, method: 'webpay', transactionId: 'tx-2001' };
    const noKey = await post('/api/webhooks/payments', body);
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.code).toBe('missing_idempotency_key');
    const short = await pay('k-short', { ...body, amount: 1000 });
    expect(short.status).toBe(422);
    expect(short.body.error).toMatchObject({ code: 'amount_mismatch', details: [expect.objectContaining({ path: '/amount' })] });
    expect((await pay('k-ok', body)).status).toBe(202);
    const reused = await pay('k-ok', { ...body, transactionId: 'tx-other' });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    expect((await pay('k-unknown', { ...body, accountId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    expect((await post('/api/webhooks/payments', body, sales, { 'idempotency-key': 'k-sales' })).status).toBe(403);
  });

  test("refuses a payment in another currency than the account's before recording it", async () => {
    const { accountId } = await created();
    const body = { accountId, amount: 29990, currency: 'USD', method: 'webpay', transactionId: 'tx-3001' };
    const usd = await pay('k-usd', body);
    expect(usd.status).toBe(422);
    expect(usd.body.error).toMatchObject({ code: 'currency_mismatch', details: [expect.objectContaining({ in: 'body', path: '/currency' })] });
    expect(await stack.db('webhook_deliveries').where({ idempotency_key: 'k-usd' })).toEqual([]);
    // Nothing was taken: the same payment in pesos goes through.
    expect((await pay('k-clp', { ...body, currency: 'CLP' })).status).toBe(202);
  });
});

describe('seller attribution on the Canal Digital invoice', () => {
  const crm = (row: Record<string, unknown>) => stack.db('crm_records').insert({ external_id: `ext-${++seq}`, ...row });

  async function paidInvoice(email: string, rut: string) {
    const { accountId } = await created({ email, rut, addons: [] });
    expect((await pay(`seller-${accountId}`, { accountId, amount: 29990, method: 'webpay', transactionId: `tx-${accountId}` })).status).toBe(202);
    const [invoice] = await invoicesOf(accountId);
    expect(invoice.channel).toBe('Canal Digital');
    return invoice;
  }

  test('a HubSpot contact with a commercial owner', async () => {
    await crm({ system: 'hubspot', kind: 'contact', email: 'hs@ferreteria.cl', name: 'Contacto HS', owner_name: 'Camila Rojas' });
    expect(await paidInvoice('hs@ferreteria.cl', '11.111.111-1')).toMatchObject({ seller_name: 'Camila Rojas', seller_source: 'hubspot-contact' });
  });

  test('a CRM Nova contact with a commercial owner', async () => {
    await crm({ system: 'hubspot', kind: 'contact', email: 'nova@ferreteria.cl', name: 'Sin owner en HubSpot', owner_name: null });
    await crm({ system: 'crm-nova', kind: 'contact', email: 'nova@ferreteria.cl', name: 'Contacto Nova', owner_name: 'Matías Pérez' });
    expect(await paidInvoice('nova@ferreteria.cl', '12.345.678-5')).toMatchObject({ seller_name: 'Matías Pérez', seller_source: 'crm-nova-contact' });
  });

  test('a CRM Nova company tied to the contact, with a commercial owner', async () => {
    await crm({ system: 'crm-nova', kind: 'contact', email: 'empresa@ferreteria.cl', name: 'Contacto sin owner', company_tax_id: '77123456-9' });
    await crm({ system: 'crm-nova', kind: 'company', tax_id: '77123456-9', name: 'Ferretería Central Ltda.', owner_name: 'Diego Fuentes' });
    expect(await paidInvoice('empresa@ferreteria.cl', '9.876.543-3')).toMatchObject({ seller_name: 'Diego Fuentes', seller_source: 'crm-nova-company' });
  });

  test('no seller when none of the three conditions holds', async () => {
    // A company with an owner in HubSpot is not one of the seed's conditions.
    await crm({ system: 'hubspot', kind: 'company', tax_id: '15432109-8', name: 'Otra empresa', owner_name: 'Alguien' });
    await crm({ system: 'crm-nova', kind: 'contact', email: 'nadie@ferreteria.cl', name: 'Sin owner', owner_name: null, company_tax_id: '15432109-8' });
    expect(await paidInvoice('nadie@ferreteria.cl', '15.432.109-8')).toMatchObject({ seller_name: null, seller_source: null });
  });
});

describe('upgrades', () => {
  test('a freemium upgrade opens a window, more modules join it, and the first payment bills them all', async () => {
    const { accountId } = await created({ kind: 'freemium' });
    const first = await post(`/api/accounts/${accountId}/upgrades`, { modules: ['remuneraciones'] });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ via: 'new-upgrade' });
    await eventually(() => stack.request('GET', `/api/accounts/${accountId}`, sales), (r) => r.body.amountDue === 9990, 'the first module to be due');
    const more = await post(`/api/accounts/${accountId}/upgrades`, { modules: ['inventario'] });
    expect(more.status).toBe(202);
    expect(more.body).toMatchObject({ via: 'pending-upgrade', processId: first.body.processId });
    const detail = await eventually(() => stack.request('GET', `/api/accounts/${accountId}`, sales), (r) => r.body.amountDue === 9990 + 7990, 'both modules due');
    expect(detail.body).toMatchObject({ states: { payment: 'pending', activation: 'active' }, renewalDueAt: expect.any(String) });
    expect(detail.body.items.map((i: { module: string; status: string }) => `${i.module}:${i.status}`).sort()).toEqual(['inventario:activated', 'remuneraciones:activated']);

    expect((await pay(`up-${accountId}`, { accountId, amount: 17980, method: 'webpay', transactionId: `tx-up-${accountId}` })).status).toBe(202);
    const [invoice] = await invoicesOf(accountId);
    expect(invoice).toMatchObject({ kind: 'first-period', amount: '17980.00' });
    const after = await eventually(() => stack.request('GET', `/api/accounts/${accountId}`, sales), (r) => r.body.states.payment === 'paid', 'the account paid');
    expect(after.body.invoices[0].lines.map((l: { module: string }) => l.module).sort()).toEqual(['inventario', 'remuneraciones']);
    expect(after.body.stateHistory).toEqual(expect.arrayContaining([expect.objectContaining({ dimension: 'conversion', from: 'freemium', to: 'converted' })]));
  });

  test('refuses unknown modules and unknown accounts', async () => {
    const { accountId } = await created({ kind: 'freemium' });
    const res = await post(`/api/accounts/${accountId}/upgrades`, { modules: ['teleport'] });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('unknown_module');
    expect((await post('/api/accounts/00000000-0000-4000-8000-000000000000/upgrades', { modules: ['inventario'] })).status).toBe(404);
    expect((await post(`/api/accounts/${accountId}/upgrades`, { modules: [] })).status).toBe(400);
  });

  test('an id that is not a uuid is 400 naming /id, not 500', async () => {
    for (const res of [
      await stack.request('GET', '/api/accounts/not-a-uuid', sales),
      await post('/api/accounts/not-a-uuid/upgrades', { modules: ['inventario'] }),
    ]) {
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_request', details: [expect.objectContaining({ in: 'params', path: '/id' })] });
    }
    // A value only Postgres refuses (a NUL byte in text) is the caller's mistake too.
    const nul = await post('/api/accounts', signup({ name: 'Empresa\u0000 SpA' }));
    expect(nul.status).toBe(400);
    expect(nul.body.error.code).toBe('invalid_value');
  });
});
