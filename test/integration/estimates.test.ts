/**
 * Seed 001's estimates through the HTTP API on real Postgres and Temporal: priced from the catalog in
 * minor units, refused before anything is stored when a line is bad or the caller's totals do not add
 * up, revised as versions of one series (only the live version can be revised), and answered by the
 * client on the portal, which moves the lead's process (lead-to-customer) on with no staff action.
 */
import { completeInboxTask, completeTask, eventually, expectError, inboxTask, startApiStack, type ApiStack, type Caller } from '../support/api';
import { recordHistory } from '../support/histories';
import { pdfText } from '../support/pdf-text';

let stack: ApiStack;
let sales: string;
let valentina: Caller;
let billing: Caller;

beforeAll(async () => {
  stack = await startApiStack('estimates');
  await stack.addUser('valentina', ['sales']);
  sales = await stack.login('valentina');
  valentina = { username: 'valentina', token: sales };
  await stack.addUser('beatriz', ['billing']);
  billing = { username: 'beatriz', token: await stack.login('beatriz') };
});

afterAll(async () => {
  await stack?.close();
});

const customer = { name: 'Distribuidora Andina S.A.S.', email: 'compras@andina.co' };
const count = async () => Number((await stack.db('estimates').count<{ count: string }[]>('* as count'))[0].count);
// Workflow ids are the business keys, unique across the dev server every suite shares: keys of this run's own.
const run = Date.now().toString(36);
let leads = 0;

/** A lead's process (lead-to-customer), started by the salesperson: the id estimates are created for. */
async function startLead(): Promise<string> {
  const res = await stack.request('POST', '/api/processes', sales, { definitionId: 'lead-to-customer', businessKey: `andina-${run}-${++leads}`, variables: { contact: customer } });
  expect(res.status).toBe(201);
  return res.body.id;
}
let processId: string;
beforeAll(async () => {
  processId = await startLead();
});

const process = (id: string) => stack.request('GET', `/api/processes/${id}`, sales).then((r) => r.body);
const settledAt = (id: string, done: (p: any) => boolean, what: string) => eventually(() => process(id), done, what);

test('an estimate is priced from the catalog: per-line discount and tax, totals in minor units', async () => {
  const catalog = await stack.request('GET', '/api/catalog', sales);
  expect(catalog.body.items.map((i: any) => i.code)).toContain('kontaly-pro');
  const res = await stack.request('POST', '/api/estimates', sales, {
    processId, customer, currency: 'COP',
    lines: [{ itemCode: 'kontaly-pro', quantity: 2, discountBp: 1000 }, { itemCode: 'capacitacion', quantity: 4 }],
  });
  expect(res.status).toBe(201);
  // 2 × 4,990,000 − 10 % = 8,982,000, + 19 % = 1,706,580; 4 × 180,000 = 720,000 with no tax.
  expect(res.body).toMatchObject({
    version: 1, status: 'draft', customer, currency: 'COP', createdBy: 'valentina',
    totals: { grossMinor: 10_700_000, discountMinor: 998_000, netMinor: 9_702_000, taxMinor: 1_706_580, totalMinor: 11_408_580 },
  });
  expect(res.body.lines[0]).toMatchObject({ description: 'Kontaly Pro (mensual)', netMinor: 8_982_000, taxMinor: 1_706_580 });
  expect(res.body.versions).toEqual([{ id: res.body.id, version: 1, status: 'draft' }]);
});

test('a bad line, or totals that do not add up, are 422 naming them, and nothing is stored', async () => {
  const before = await count();
  const bad = await stack.request('POST', '/api/estimates', sales, { processId, customer, currency: 'COP', lines: [{ itemCode: 'kontaly-enterprise', quantity: 1 }] });
  expectError(bad, 422, 'invalid_estimate');
  expect(bad.body.error.details).toEqual([expect.objectContaining({ path: '/lines/0/itemCode', message: 'no catalog item "kontaly-enterprise"' })]);
  const wrong = await stack.request('POST', '/api/estimates', sales, { processId, customer, currency: 'COP', lines: [{ itemCode: 'kontaly-basico', quantity: 1 }], totals: { totalMinor: 3_558_000 } });
  expectError(wrong, 422, 'totals_mismatch');
  expect(wrong.body.error.details).toEqual([expect.objectContaining({ path: '/totals/totalMinor', message: '3558000 does not add up: the lines give 3558100' })]);
  expectError(await stack.request('POST', '/api/estimates', sales, { processId, customer, currency: 'COP', lines: [{ itemCode: 'kontaly-basico', quantity: 0 }] }), 400);
  expect(await count()).toBe(before);
  // The totals the lines give are accepted as given.
  expect((await stack.request('POST', '/api/estimates', sales, { processId, customer, currency: 'COP', lines: [{ itemCode: 'kontaly-basico', quantity: 1 }], totals: { totalMinor: 3_558_100 } })).status).toBe(201);
});

test('a revision is the next version and supersedes the one it revises; revising a superseded version is 409 naming the live one', async () => {
  const v1 = (await stack.request('POST', '/api/estimates', sales, { processId, customer, currency: 'COP', lines: [{ itemCode: 'kontaly-basico', quantity: 1 }] })).body;
  const v2 = await stack.request('POST', `/api/estimates/${v1.id}/revisions`, sales, { lines: [{ itemCode: 'kontaly-pro', quantity: 1 }, { itemCode: 'usuario-adicional', quantity: 3 }] });
  expect(v2).toMatchObject({ status: 201, body: { version: 2, status: 'draft', estimateKey: v1.estimateKey, customer } });
  expect(v2.body.versions).toEqual([{ id: v1.id, version: 1, status: 'superseded' }, { id: v2.body.id, version: 2, status: 'draft' }]);
  expect((await stack.request('GET', `/api/estimates/${v1.id}`, sales)).body.status).toBe('superseded');

  const stale = await stack.request('POST', `/api/estimates/${v1.id}/revisions`, sales, { lines: [{ itemCode: 'kontaly-basico', quantity: 2 }] });
  expectError(stale, 409, 'estimate_not_live');
  expect(stale.body.error.details).toEqual({ liveVersion: { id: v2.body.id, version: 2, status: 'draft' } });
  expect(stale.body.error.message).toContain('version 2');

  // Two revisions of the same version at once: one wins, the other is told which version is live.
  const race = await Promise.all([1, 2].map((q) => stack.request('POST', `/api/estimates/${v2.body.id}/revisions`, sales, { lines: [{ itemCode: 'kontaly-pro', quantity: q }] })));
  expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
  expect((await stack.db('estimates').where({ estimate_key: v1.estimateKey }).whereNot({ status: 'superseded' })).length).toBe(1);
});

test('estimates are the salespeople\'s: 403 for others, 404 for an unknown one', async () => {
  await stack.addUser('bruno', ['support']);
  expectError(await stack.request('GET', '/api/catalog', await stack.login('bruno')), 403);
  expectError(await stack.request('GET', '/api/estimates/00000000-0000-4000-8000-000000000000', sales), 404);
});

test('an estimate belongs to a running process that hears the answer: 422 naming processId otherwise, and nothing is stored', async () => {
  const before = await count();
  const unknown = await stack.request('POST', '/api/estimates', sales, { processId: 'no-such-process', customer, currency: 'COP', lines: [{ itemCode: 'kontaly-pro', quantity: 1 }] });
  expectError(unknown, 422, 'invalid_estimate');
  expect(unknown.body.error.details).toEqual([expect.objectContaining({ path: '/processId', message: 'no process no-such-process' })]);
  // A residential sale (seed 002) does not declare estimate.answered.
  await stack.addUser('rosa', ['digital-sales-executive']);
  const executive = await stack.login('rosa');
  const sale = (await stack.request('GET', '/api/definitions/residential-sale', executive)).body.definition;
  const started = await stack.request('POST', '/api/processes', executive, { definitionId: 'residential-sale', businessKey: 'not-a-lead', variables: sale.variables.examples[0] });
  const other = await stack.request('POST', '/api/estimates', sales, { processId: started.body.id, customer, currency: 'COP', lines: [{ itemCode: 'kontaly-pro', quantity: 1 }] });
  expectError(other, 422, 'invalid_estimate');
  expect(other.body.error.details[0].message).toBe('a residential-sale process does not hear estimate answers (the estimate.answered message); these do: lead-to-customer');
  expect(await count()).toBe(before);
});

describe("the client's portal link", () => {
  const create = async (lead: string) => (await stack.request('POST', '/api/estimates', sales, { processId: lead, customer, currency: 'COP', lines: [{ itemCode: 'kontaly-pro', quantity: 1 }] })).body;
  /** Sends the version and answers the token of the e-mail it queued. */
  async function send(id: string, body: Record<string, unknown> = {}) {
    const res = await stack.request('POST', `/api/estimates/${id}/send`, sales, body);
    expect(res).toMatchObject({ status: 200, body: { sent: true } });
    const mail = await stack.db('outbox').where({ template: 'estimate-sent' }).orderBy('created_at', 'desc').first();
    return { mail, token: (mail.payload.linkUrl as string).split('#')[1] };
  }
  const open = (token: string) => stack.request('GET', `/api/public/estimates/${token}`);
  const answer = (token: string, action: 'accept' | 'decline', body?: Record<string, unknown>) => stack.request('POST', `/api/public/estimates/${token}/${action}`, undefined, body);

  test('sent, the client opens it with no login and accepts it: the lead is won with no staff action, and the link is used', async () => {
    const lead = await startLead();
    const v1 = await create(lead);
    expect(v1.processId).toBe(lead);
    const { mail, token } = await send(v1.id);
    expect(mail).toMatchObject({ recipient: customer.email, payload: { customerName: customer.name, version: 1, total: '59381.00', currency: 'COP' } });
    expect(mail.payload.linkUrl).toMatch(/\/portal\/estimate#[A-Za-z0-9_-]{43}$/);
    expect((await stack.request('GET', `/api/estimates/${v1.id}`, sales)).body.status).toBe('sent');

    const seen = await open(token);
    expect(seen).toMatchObject({ status: 200, body: { id: v1.id, version: 1, status: 'sent', totals: { totalMinor: 5_938_100 } } });
    expect(seen.body).not.toHaveProperty('createdBy');
    // The client's PDF, by the same link, and the salesperson's.
    for (const res of [await fetch(`${stack.baseUrl}/api/public/estimates/${token}/pdf`), await fetch(`${stack.baseUrl}/api/estimates/${v1.id}/pdf`, { headers: { authorization: `Bearer ${sales}` } })]) {
      expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({ status: 200, type: expect.stringContaining('application/pdf') });
      const text = pdfText(Buffer.from(await res.arrayBuffer()));
      for (const part of ['Cotización (versión 1)', `Cliente: ${customer.name} <${customer.email}>`, '1 × Kontaly Pro (mensual)', 'Impuestos', 'COP 59.381,00']) expect(text).toContain(part);
    }
    // The lead is still at qualification: the answer withdraws that task. Accepting takes no body.
    await inboxTask(stack, valentina, lead, 'qualify');
    expect(await answer(token, 'accept')).toMatchObject({ status: 200, body: { status: 'accepted' } });
    expect(await stack.db('estimates').where({ id: v1.id }).first()).toMatchObject({ status: 'accepted', decided_by: customer.email });
    const won = await settledAt(lead, (p) => p.currentSteps.includes('convertToCustomer'), 'the lead won');
    expect(won).toMatchObject({ status: 'running', stage: 'won', variables: { answer: { estimateId: v1.id, decision: 'accepted', answeredBy: customer.email }, estimate: { recorded: true, status: 'accepted', totalMinor: 5_938_100 } } });
    expect(won.stageHistory.map((h: any) => [h.stage, h.actor])).toEqual([['new', 'valentina'], ['won', customer.email]]);
    expect((await stack.db('tasks').where({ instance_id: lead, step_id: 'qualify' }).first()).status).toBe('cancelled');
    await convert(lead, v1.id);
    await recordHistory(await stack.handle(lead), 'lead-accepted-converted');
    expectError(await answer(token, 'decline'), 410, 'link_used');
    expectError(await open(token), 410, 'link_used');
    // Accepted: no longer revised or sent.
    expectError(await stack.request('POST', `/api/estimates/${v1.id}/revisions`, sales, { lines: [{ itemCode: 'kontaly-pro', quantity: 2 }] }), 409, 'estimate_not_live');
  });

  test('accepting a version that was revised since is 409 naming the newer version, and changes nothing; a decline goes back to the salesperson, who revises, and the client accepts the revision', async () => {
    const lead = await startLead();
    await completeInboxTask(stack, valentina, lead, 'qualify', 'qualified');
    await settledAt(lead, (p) => p.stage === 'qualified' && p.currentSteps.includes('awaitAnswer'), 'the lead qualified, waiting for the answer');
    const v1 = await create(lead);
    const { token } = await send(v1.id);
    const v2 = (await stack.request('POST', `/api/estimates/${v1.id}/revisions`, sales, { lines: [{ itemCode: 'kontaly-pro', quantity: 2 }] })).body;
    // The lead's estimates: the live version of its series only.
    expect((await stack.request('GET', `/api/estimates?processId=${encodeURIComponent(lead)}`, sales)).body.items.map((e: { id: string; version: number }) => [e.id, e.version])).toEqual([[v2.id, 2]]);
    const refused = await answer(token, 'accept');
    expectError(refused, 409, 'estimate_superseded');
    expect(refused.body.error.message).toBe('Version 1 is superseded, so it cannot be accepted; version 2 replaces it');
    expect(refused.body.error.details).toEqual({ liveVersion: { id: v2.id, version: 2, status: 'draft' } });
    expect(await stack.db('estimate_links').where({ estimate_id: v1.id }).first()).toMatchObject({ used_at: null });
    expect((await process(lead)).currentSteps).toEqual(['awaitAnswer']);

    // Version 2 sent: the first link is replaced; the client declines the new one, saying why.
    const second = await send(v2.id);
    expectError(await open(token), 410, 'link_revoked');
    expect(await answer(second.token, 'decline', { reason: 'Muy caro para este año' })).toMatchObject({ status: 200, body: { status: 'declined', version: 2 } });
    expect(await stack.db('estimates').where({ id: v2.id }).first()).toMatchObject({ status: 'declined', decline_reason: 'Muy caro para este año' });
    const followUp = await inboxTask(stack, valentina, lead, 'followUp');
    expect(followUp.title).toBe(`The estimate was declined by ${customer.name}: Muy caro para este año`);
    expect((await process(lead)).stage).toBe('proposal-declined');

    // Revised and sent again; the client accepts version 3 and the lead is won.
    const v3 = (await stack.request('POST', `/api/estimates/${v2.id}/revisions`, sales, { lines: [{ itemCode: 'kontaly-pro', quantity: 1, discountBp: 1000 }] })).body;
    expect(v3).toMatchObject({ version: 3, processId: lead });
    await completeTaskAfterRevision(lead, followUp);
    const third = await send(v3.id);
    expect(await answer(third.token, 'accept')).toMatchObject({ status: 200, body: { status: 'accepted', version: 3 } });
    expect(await settledAt(lead, (p) => p.currentSteps.includes('convertToCustomer'), 'the lead won')).toMatchObject({ stage: 'won', variables: { answer: { estimateId: v3.id, version: 3 } } });
  });

  /**
   * The salesperson converts the won lead in one action: the customer, the client's portal credentials
   * (set through the welcome e-mail's link, once) and the accepted estimate as a draft invoice.
   */
  async function convert(lead: string, estimateId: string) {
    const task = await inboxTask(stack, valentina, lead, 'convertToCustomer');
    expect(task.title).toBe(`Convert ${customer.name} to a customer`);
    await completeInboxTask(stack, valentina, lead, 'convertToCustomer', 'converted');
    const done = await settledAt(lead, (p) => p.currentSteps.includes('reviewInvoice'), 'the customer converted');
    expect(done).toMatchObject({ stage: 'customer', variables: { customer: { invoiceStatus: 'draft', amount: 59_381, currency: 'COP', portalEmail: customer.email } } });
    const { customerId, invoiceId } = done.variables.customer;
    expect(await stack.db('customers').where({ id: customerId }).first()).toMatchObject({ name: customer.name, email: customer.email, process_id: lead, estimate_id: estimateId, converted_by: 'valentina' });
    const invoice = await stack.db('invoices').where({ id: invoiceId }).first();
    expect(invoice).toMatchObject({ status: 'draft', number: null, issued_at: null, customer_id: customerId, estimate_id: estimateId, amount: '59381.00', currency: 'COP', customer_name: customer.name });
    expect(await stack.db('invoice_lines').where({ invoice_id: invoiceId }).select('line_no', 'description', 'amount')).toEqual([
      { line_no: 1, description: '1 × Kontaly Pro (mensual), IVA 19 %', amount: '59381.00' },
    ]);

    const welcome = await stack.db('outbox').where({ template: 'portal-welcome', recipient: customer.email }).orderBy('created_at', 'desc').first();
    expect(welcome.payload).toMatchObject({ customerName: customer.name, setPasswordUrl: expect.stringMatching(/\/portal\/password#[A-Za-z0-9_-]{43}$/) });
    const token = welcome.payload.setPasswordUrl.split('#')[1];
    expectError(await stack.request('POST', `/api/public/portal-setup/${token}`, undefined, { password: 'corta' }), 400, 'invalid_request');
    expect(await stack.request('POST', `/api/public/portal-setup/${token}`, undefined, { password: 'una clave bien larga' })).toMatchObject({ status: 200, body: { activated: true, email: customer.email } });
    const credentials = await stack.db('portal_credentials').where({ customer_id: customerId }).first();
    expect(credentials).toMatchObject({ setup_token_hash: null, activated_at: expect.any(Date) });
    expect(credentials.password_hash).toMatch(/^\$argon2id\$/);
    expectError(await stack.request('POST', `/api/public/portal-setup/${token}`, undefined, { password: 'otra clave bien larga' }), 404);

    // Billing reviews the draft and issues it: numbered then (after every invoice before it), e-mailed as a PDF, sent.
    const review = await inboxTask(stack, billing, lead, 'reviewInvoice');
    expect(review.title).toBe(`Review the draft invoice of ${customer.name}: COP 59,381.00`);
    const highest = Number((await stack.db('invoices').max<{ max: number }[]>('number as max'))[0].max);
    await completeTask(stack, billing, review, 'issue');
    // No payment gateway in this stack: the invoice has no payment page, and waits to be paid.
    const invoiced = await settledAt(lead, (p) => p.currentSteps.includes('awaitPayment'), 'the invoice sent');
    expect(invoiced).toMatchObject({ status: 'running', stage: 'invoiced', variables: { invoice: { invoiceId, status: 'sent', number: highest + 1, paymentUrl: null } } });
    expect(await stack.db('invoices').where({ id: invoiceId }).first()).toMatchObject({ status: 'sent', number: highest + 1, issued_at: expect.any(Date) });
    const sentMail = await stack.db('outbox').where({ template: 'customer-invoice', recipient: customer.email }).first();
    expect(sentMail).toMatchObject({ payload: { customerName: customer.name, invoiceNumber: highest + 1, amount: '59381.00', currency: 'COP' }, attachments: [{ invoicePdf: invoiceId }] });
    // The PDF the e-mail carries: the number, the channel, the estimate's line with its tax.
    const pdf = await fetch(`${stack.baseUrl}/api/invoices/${invoiceId}/pdf`, { headers: { authorization: `Bearer ${billing.token}` } });
    expect(pdf.status).toBe(200);
    const text = pdfText(Buffer.from(await pdf.arrayBuffer()));
    for (const part of [`Factura N° ${highest + 1}`, 'Canal: Portal de clientes', `Cliente: ${customer.name}`, '1 × Kontaly Pro (mensual), IVA 19 %']) expect(text).toContain(part);
  }

  /** The salesperson says the revision went out: the lead waits for the answer again. */
  async function completeTaskAfterRevision(lead: string, followUp: { id: string; stepId: string; form?: unknown }) {
    const res = await stack.request('POST', `/api/tasks/${followUp.id}/complete`, sales, { outcome: 'revised', data: { notes: 'Versión 3 con 10 % de descuento' } });
    expect(res.status).toBe(200);
    await settledAt(lead, (p) => p.currentSteps.includes('awaitAnswer'), 'the lead waiting again');
  }

  test('a lead closed as lost hears no answer: 409, and the estimate stays sent with its link unused', async () => {
    const lead = await startLead();
    const v1 = await create(lead);
    const { token } = await send(v1.id);
    await completeInboxTask(stack, valentina, lead, 'qualify', 'notAFit', { need: 'Solo quería precios' });
    await settledAt(lead, (p) => p.status === 'completed', 'the lead lost');
    expect((await process(lead)).outcome).toBe('lost');
    expectError(await answer(token, 'accept'), 409, 'not_heard');
    expect(await stack.db('estimates').where({ id: v1.id }).first()).toMatchObject({ status: 'sent', decided_at: null });
    expect(await stack.db('estimate_links').where({ estimate_id: v1.id }).first()).toMatchObject({ used_at: null });
  });

  test('an expired link says so; an unknown one is 404; a bad expiry is 422', async () => {
    const v1 = await create(await startLead());
    const { token } = await send(v1.id);
    // Expired as the clock would leave it, without waiting for it.
    await stack.db('estimate_links').where({ estimate_id: v1.id }).update({ expires_at: new Date(Date.now() - 1000) });
    const expired = await open(token);
    expectError(expired, 410, 'link_expired');
    expect(expired.body.error.message).toContain('Ask your salesperson for a new one');
    expectError(await open('A'.repeat(43)), 404);
    expectError(await stack.request('POST', `/api/estimates/${v1.id}/send`, sales, { expiresIn: 'soon' }), 422, 'invalid_duration');
  });
});
