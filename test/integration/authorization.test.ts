/**
 * Who sees what (workflows/policy.ts), through the real app, a real worker, the dev server and
 * Postgres. One table holds the rule of every route of the OpenAPI document, walked as an outsider (a
 * signed-in user whose role acts nowhere), a candidate (a role that acts in the resource) and an
 * operator (admin); a route without an entry fails the first test. Then the leaks of issue 7 and the
 * two places where the API and the workflow's task validators used to disagree.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { apiRoutes } from '../../api/app';
import { openApiPath } from '../../api/openapi';
import { claimTaskUpdate, completeTaskUpdate } from '../../workflows/messages';
import { eventually, expectError, inboxTask, startApiStack, type ApiResponse, type ApiStack, type Caller } from '../support/api';
import { pdfBytes, uploadDocument } from '../support/documents';
import { createContractSignatureStore } from '../../lib/contract-signatures';
import { createEstimateStore } from '../../lib/estimates';
import { createBlacklistStore } from '../../lib/blacklist';
import { createAgreementStore } from '../../lib/agreements';
import { createConsultantStore } from '../../lib/consultants';
import { portalCustomer, type PortalCustomerFixture } from '../support/portal';
import { DEFINITIONS_DIR } from '../support/processes';

let stack: ApiStack;
const callers: Record<string, Caller> = {};

/** Username → roles. `ines` holds no role (every role now acts in some definition): the outsider. */
const USERS: Record<string, string[]> = {
  root: ['admin'],
  ines: [],
  laura: ['consultant'],
  sara: ['sales'],
  dora: ['dcs'],
  bea: ['billing'],
  store: ['integration'],
  pedro: ['client'],
  hugo: ['help-desk'],
  lia: ['digital-channels-lead'],
  cata: ['collections'],
  bob: ['back-office'],
};

type Who = 'outsider' | 'candidate' | 'operator';
const WHO: Who[] = ['outsider', 'candidate', 'operator'];

let seq = 0;
const next = () => ++seq;

const post = (p: string, caller: Caller, body?: unknown, headers: Record<string, string> = {}) => stack.request('POST', p, caller.token, body, { headers });
const get = (p: string, caller: Caller) => stack.request('GET', p, caller.token);
/** A GET whose success is not JSON (a PDF): the status and headers, the body only when it is an error. */
async function getDocument(p: string, caller: Caller): Promise<ApiResponse> {
  const res = await fetch(stack.baseUrl + p, { headers: { authorization: `Bearer ${caller.token}` } });
  const json = res.headers.get('content-type')?.startsWith('application/json');
  return { status: res.status, body: json ? await res.json() : undefined, headers: res.headers };
}

let saleExample: Record<string, any>;
const saleVariables = (consultant: string) => ({ ...saleExample, consultant: { ...saleExample.consultant, username: consultant } });

/** An assisted sale started by `starter`, its first task (chooseTemplate) assigned to `consultant`. */
async function startSale(consultant = 'laura', starter = callers.laura): Promise<{ id: string; taskId: string }> {
  const res = await post('/api/processes', starter, { definitionId: 'assisted-sale', businessKey: `authz-sale-${next()}`, variables: saleVariables(consultant) });
  expect(res.status).toBe(201);
  const task = await inboxTask(stack, callers.root, res.body.id, 'chooseTemplate');
  return { id: res.body.id, taskId: task.id };
}

const signupBody = () => {
  const n = next();
  return { kind: 'trial', email: `authz${n}@empresa${n}.cl`, rut: '76.086.428-5', name: `Empresa Authz ${n} SpA`, channel: 'ecommerce' };
};

const CSV_HEADER = 'email,name,phone,rut,company,company_rut,channel,source,campaign,partner,owner_email';
const importCsv = (caller: Caller) =>
  stack.request('POST', '/api/imports/contacts?filename=authz.csv', caller.token, undefined, {
    raw: `${CSV_HEADER}\nauthz.import${next()}@ferreteria.cl,Ana Import,,,,,hubspot,bulk,,,\n`,
    headers: { 'content-type': 'text/csv' },
  });

/** Shared resources, read by the routes that do not change them. */
const shared: { sale: { id: string; taskId: string }; accountId: string; trialId: string; trialTaskId: string; importId: string; documentId: string; invoiceId: string; customer: PortalCustomerFixture; ticketId: string; contractId: string; estimateId: string; blacklistId: string; agreementId: string; withdrawnId: string; consultantId: string } = {} as never;

beforeAll(async () => {
  stack = await startApiStack('authz');
  for (const [username, roles] of Object.entries(USERS)) {
    await stack.addUser(username, roles);
    callers[username] = { username, token: await stack.login(username) };
  }
  saleExample = (await get('/api/definitions/assisted-sale', callers.root)).body.definition.variables.examples[0];
  shared.sale = await startSale();

  const account = await post('/api/accounts', callers.store, signupBody());
  expect(account.status).toBe(201);
  shared.accountId = account.body.accountId;
  shared.trialId = account.body.processId;
  shared.trialTaskId = (await inboxTask(stack, callers.dora, shared.trialId, 'firstContact')).id;
  // An invoice of the account, as the invoices.issue activity writes one (the checkout's path is tested elsewhere).
  [{ id: shared.invoiceId }] = await stack.db('invoices')
    .insert({ number: 900001, account_id: shared.accountId, customer_tax_id: '76086428-5', customer_name: 'Authz SpA', description: 'Authz', amount: 1000, currency: 'CLP', channel: 'Canal Digital', idempotency_key: 'authz-invoice' })
    .returning('id');

  const customerKey = `authz-${Date.now().toString(36)}`;
  shared.customer = await portalCustomer(stack.db, customerKey);
  // A contract sent for the customer's estimate, as the lead's process prepares one.
  const [estimate] = await createEstimateStore(stack.db).forProcess(`lead-to-customer/${customerKey}`);
  shared.contractId = (await createContractSignatureStore(stack.db).prepare({
    key: `${customerKey}:contract`, process: { id: `lead-to-customer/${customerKey}`, businessKey: customerKey }, estimate, contact: { name: 'Authz', email: shared.customer.email },
    company: null, createdBy: 'authz', expiresAt: new Date(Date.now() + 86_400_000), linkUrl: (token) => token,
  })).id;
  // Signed and linked to the customer, as sealing and the conversion leave it: the portal shows it.
  await stack.db('customer_contracts').where({ id: shared.contractId }).update({ status: 'signed', signed_at: stack.db.fn.now(), customer_id: shared.customer.customerId });
  shared.estimateId = estimate.id;
  // A blacklist entry and a reason of the rules' own, so changing them touches nothing else.
  shared.blacklistId = String((await createBlacklistStore(stack.db).add({ country: 'CO', documentType: 'CC', documentNumber: '90909090', email: null, reasonCode: 'fraud', reason: 'Authz', createdBy: 'authz' })).id);
  await createBlacklistStore(stack.db).addReason('authz-reason', 'Authz');
  const agreementStore = createAgreementStore(stack.db);
  shared.agreementId = (await agreementStore.publish({ code: 'authz-terms', country: 'CO', rank: null, title: 'Authz', content: 'Authz', pages: ['profile'], createdBy: 'authz' })).agreement.id;
  shared.withdrawnId = (await agreementStore.publish({ code: 'authz-withdrawn', country: 'CO', rank: null, title: 'Authz', content: 'Authz', pages: ['profile'], createdBy: 'authz' })).agreement.id;
  shared.consultantId = (await createConsultantStore(stack.db).register({
    key: 'authz-consultant', instanceId: 'authz', registerAs: 'customer', channel: 'corporate-backend', formType: 'short', sponsorId: null, documents: [],
    person: { country: 'CO', document_type: 'CC', document_number: '80808080', email: 'authz.consultant@gmail.com', name: 'Authz', phone: null, zone: 'bogota-norte' },
  })).consultant.id;
  const ticket = await post('/api/tickets', callers.sara, { customerId: shared.customer.customerId, subject: 'Authz', body: 'Authz' });
  expect(ticket.status).toBe(202);
  shared.ticketId = ticket.body.ticketId;

  const upload = await importCsv(callers.sara);
  expect(upload.status).toBe(202);
  shared.importId = upload.body.id;

  // A document the operator uploaded, attached to laura's sale (as a task completion would attach it):
  // laura sees it through the instance alone.
  const document = await uploadDocument(stack.baseUrl, callers.root.token, pdfBytes('authz'), { filename: 'authz.pdf' });
  expect(document.status).toBe(201);
  shared.documentId = document.body.id;
  await stack.db('documents').where({ id: shared.documentId }).update({ instance_id: shared.sale.id });
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

interface RouteRule {
  /** The user who acts in what the route reaches (public and open routes: any user). */
  candidate: keyof typeof USERS;
  /** The status each caller gets; several when either is right (a sign-up answers 201, or 202 while its process is slow). */
  expected: Record<Who, number | number[]>;
  /** Calls the route as `caller`; a call that changes a resource gets a fresh one. */
  call(caller: Caller, who: Who): Promise<ApiResponse>;
  /** What each caller sees in a list. */
  check?(res: ApiResponse, who: Who): void;
}

const all = (status: number) => ({ outsider: status, candidate: status, operator: status });
/** Visible to the candidate and operators; an outsider is told it does not exist. */
const hidden = (status = 200) => ({ outsider: 404, candidate: status, operator: status });
/** A route only some roles reach at all (403 for anyone else), then `status`. */
const gated = (candidate: number | number[], operator = candidate) => ({ outsider: 403, candidate, operator });
const adminOnly = (status: number) => ({ outsider: 403, candidate: 403, operator: status });
/** The client portal's routes: the customer's portal session (the candidate) opens them, no staff token does. */
const portalOnly = (status: number) => ({ outsider: 401, candidate: status, operator: 401 });
const portalToken = (caller: Caller, who: Who) => (who === 'candidate' ? shared.customer.token : caller.token);

const ids = (res: ApiResponse): string[] => res.body.items.map((i: { id: string }) => i.id);

/**
 * A list, as laura (consultant): the outsider sees nothing, laura the sale's item but not the trial's,
 * the operator both.
 */
function listRule(listPath: string, saleItem: () => string, trialItem: () => string): RouteRule {
  return {
    candidate: 'laura',
    expected: all(200),
    call: (caller) => get(listPath, caller),
    check: (res, who) => {
      if (who === 'outsider') expect(res.body).toMatchObject({ total: 0, items: [] });
      else expect(ids(res)).toContain(saleItem());
      if (who === 'candidate') expect(ids(res)).not.toContain(trialItem());
      if (who === 'operator') expect(ids(res)).toContain(trialItem());
    },
  };
}

const NO_INCIDENT = '00000000-0000-4000-8000-000000000000';
/** Well formed (43 base64url characters), held by no link. */
const UNKNOWN_TOKEN = 'A'.repeat(43);

/** `${method} ${OpenAPI path}` → the rule. Every route of the API has exactly one. */
const RULES: Record<string, RouteRule> = {
  'get /healthz': { candidate: 'laura', expected: all(200), call: () => stack.request('GET', '/healthz') },
  'get /api/openapi.json': { candidate: 'laura', expected: all(200), call: () => stack.request('GET', '/api/openapi.json') },
  'post /api/auth/login': {
    candidate: 'laura',
    expected: all(200),
    call: (caller) => stack.request('POST', '/api/auth/login', undefined, { username: caller.username, password: `${caller.username}-password` }),
  },
  'post /api/auth/logout': {
    candidate: 'laura',
    expected: all(204),
    // A session of its own, so the caller's token stays valid for the other routes.
    call: async (caller) => stack.request('POST', '/api/auth/logout', await stack.login(caller.username)),
  },
  'get /api/auth/me': { candidate: 'laura', expected: all(200), call: (caller) => get('/api/auth/me', caller) },

  // Definitions are the process design: every signed-in user reads them.
  'get /api/definitions': { candidate: 'laura', expected: all(200), call: (caller) => get('/api/definitions', caller) },
  'get /api/definitions/{id}': { candidate: 'laura', expected: all(200), call: (caller) => get('/api/definitions/assisted-sale', caller) },
  'get /api/definitions/{id}/versions/{version}': { candidate: 'laura', expected: all(200), call: (caller) => get('/api/definitions/assisted-sale/versions/1', caller) },
  'post /api/definitions': {
    candidate: 'laura',
    // The same content as deployed: 200 with the existing version.
    expected: adminOnly(200),
    call: (caller) =>
      stack.request('POST', '/api/definitions', caller.token, undefined, {
        raw: readFileSync(path.join(DEFINITIONS_DIR, 'assisted-sale.yaml'), 'utf8'),
        headers: { 'content-type': 'application/yaml' },
      }),
  },

  'post /api/processes': {
    candidate: 'laura', // assisted-sale: starters [consultant]
    expected: gated(201),
    call: (caller) => post('/api/processes', caller, { definitionId: 'assisted-sale', businessKey: `authz-start-${next()}`, variables: saleVariables('laura') }),
  },
  'get /api/processes': listRule('/api/processes?limit=100', () => shared.sale.id, () => shared.trialId),
  'get /api/processes/{id}': { candidate: 'laura', expected: hidden(), call: (caller) => get(`/api/processes/${shared.sale.id}`, caller) },
  'get /api/processes/{id}/history': {
    candidate: 'laura',
    expected: hidden(),
    // Its technical view (the Temporal events too) is shown to exactly those who see the business one.
    call: async (caller) => {
      const [business, technical] = [await get(`/api/processes/${shared.sale.id}/history`, caller), await get(`/api/processes/${shared.sale.id}/history?view=technical`, caller)];
      expect(technical.status).toBe(business.status);
      return business;
    },
  },
  'post /api/processes/{id}/events/{name}': {
    candidate: 'dora', // acts in the trial, still not allowed to send it any event
    expected: adminOnly(202),
    call: (caller) => post(`/api/processes/${shared.trialId}/events/servicesActivated`, caller, { eventId: `authz-event-${next()}`, payload: { modules: ['remuneraciones'] } }),
  },
  'post /api/processes/{id}/cancel': {
    candidate: 'laura',
    expected: adminOnly(202),
    call: async (caller, who) => post(`/api/processes/${who === 'operator' ? (await startSale()).id : shared.sale.id}/cancel`, caller, { reason: 'authorization test' }),
  },

  'get /api/tasks': listRule('/api/tasks?status=all&limit=100', () => shared.sale.taskId, () => shared.trialTaskId),
  'get /api/tasks/{id}': { candidate: 'laura', expected: hidden(), call: (caller) => get(`/api/tasks/${shared.sale.taskId}`, caller) },
  'post /api/tasks/{id}/claim': {
    candidate: 'laura',
    // The operator takes over laura's task (assigned to her when it opened).
    expected: hidden(),
    call: async (caller, who) => post(`/api/tasks/${who === 'outsider' ? shared.sale.taskId : (await startSale()).taskId}/claim`, caller),
  },
  'post /api/tasks/{id}/release': {
    candidate: 'laura',
    expected: hidden(),
    call: async (caller, who) => post(`/api/tasks/${who === 'outsider' ? shared.sale.taskId : (await startSale()).taskId}/release`, caller),
  },
  'post /api/tasks/{id}/complete': {
    candidate: 'laura',
    expected: hidden(),
    call: async (caller, who) =>
      post(`/api/tasks/${who === 'outsider' ? shared.sale.taskId : (await startSale()).taskId}/complete`, caller, {
        outcome: 'chosen',
        data: { template: 'sitio-web', plan: 'mnd-basico' },
      }),
  },

  'post /api/opportunities': {
    candidate: 'sara',
    expected: gated(201),
    call: (caller) => post('/api/opportunities', caller, { email: `authz.lead${next()}@ferreteria.cl`, name: 'Lead Authz', channel: 'landing' }),
  },
  'post /api/imports/contacts': { candidate: 'sara', expected: gated(202), call: (caller) => importCsv(caller) },
  'get /api/imports/{id}': { candidate: 'sara', expected: hidden(), call: (caller) => get(`/api/imports/${shared.importId}`, caller) },
  'get /api/imports/{id}/rows': { candidate: 'sara', expected: hidden(), call: (caller) => get(`/api/imports/${shared.importId}/rows`, caller) },

  'post /api/accounts': { candidate: 'dora', expected: gated([201, 202]), call: (caller) => post('/api/accounts', caller, signupBody()) },
  'get /api/accounts/{id}': { candidate: 'dora', expected: hidden(), call: (caller) => get(`/api/accounts/${shared.accountId}`, caller) },
  'get /api/estimates': { candidate: 'sara', expected: gated(200), call: (caller) => get('/api/estimates?processId=no-such-lead', caller) },
  'get /api/invoices': { candidate: 'bea', expected: gated(200), call: (caller) => get('/api/invoices?limit=5', caller) },
  'get /api/invoices/{id}': { candidate: 'dora', expected: hidden(), call: (caller) => get(`/api/invoices/${shared.invoiceId}`, caller) },
  'get /api/invoices/{id}/pdf': { candidate: 'dora', expected: hidden(), call: (caller) => getDocument(`/api/invoices/${shared.invoiceId}/pdf`, caller) },
  'post /api/accounts/{id}/upgrades': {
    candidate: 'dora',
    // Past the role check and the account lookup, an unknown module is refused: nothing changes.
    expected: gated(422),
    call: (caller) => post(`/api/accounts/${shared.accountId}/upgrades`, caller, { modules: ['teleport'] }),
  },
  'post /api/webhooks/payments': {
    candidate: 'bea',
    // Past the role check and the account lookup, a wrong amount is refused: nothing is billed.
    expected: gated(422),
    call: (caller) =>
      post('/api/webhooks/payments', caller, { accountId: shared.accountId, amount: 1, method: 'webpay', transactionId: `authz-tx-${next()}` }, { 'idempotency-key': `authz-pay-${next()}` }),
  },
  'post /api/invoices/{id}/payments': {
    candidate: 'bea',
    // Past the role check, an invoice that renews no subscription is refused: nothing is paid.
    expected: gated(404),
    call: (caller) =>
      post(`/api/invoices/${shared.invoiceId}/payments`, caller, { amount: 1, currency: 'CLP', method: 'transfer', transactionId: `authz-tx-${next()}` }, { 'idempotency-key': `authz-inv-${next()}` }),
  },
  'post /api/admin/reconcile': { candidate: 'laura', expected: adminOnly(200), call: (caller) => post('/api/admin/reconcile', caller, {}) },
  // Incidents are operators' work; an unknown incident is 404 to them and 403 to everyone else.
  'get /api/incidents': { candidate: 'laura', expected: adminOnly(200), call: (caller) => get('/api/incidents?status=all', caller) },
  'get /api/incidents/{id}': { candidate: 'laura', expected: adminOnly(404), call: (caller) => get(`/api/incidents/${NO_INCIDENT}`, caller) },
  'post /api/incidents/{id}/retry': { candidate: 'laura', expected: adminOnly(404), call: (caller) => post(`/api/incidents/${NO_INCIDENT}/retry`, caller) },
  'post /api/incidents/{id}/terminate': { candidate: 'laura', expected: adminOnly(404), call: (caller) => post(`/api/incidents/${NO_INCIDENT}/terminate`, caller, {}) },
  'post /api/incidents/{id}/cancel': { candidate: 'laura', expected: adminOnly(404), call: (caller) => post(`/api/incidents/${NO_INCIDENT}/cancel`, caller, {}) },
  // Sent mail (the embedded SMTP sink's messages): operators only.
  'get /api/mail': { candidate: 'laura', expected: adminOnly(200), call: (caller) => get('/api/mail', caller) },
  'get /api/mail/{id}': { candidate: 'laura', expected: adminOnly(404), call: (caller) => get(`/api/mail/${NO_INCIDENT}`, caller) },
  // Any signed-in user may upload; a document is seen by whoever sees its instance (before it is attached,
  // its uploader and operators: test/integration/documents.test.ts).
  'post /api/documents': { candidate: 'laura', expected: all(201), call: (caller) => uploadDocument(stack.baseUrl, caller.token, pdfBytes(`authz ${next()}`)) },
  'get /api/documents/{id}': {
    candidate: 'laura',
    expected: hidden(),
    call: async (caller) => {
      const res = await fetch(`${stack.baseUrl}/api/documents/${shared.documentId}`, { headers: { authorization: `Bearer ${caller.token}` } });
      // The bytes when allowed; the API's JSON error otherwise.
      const body = res.headers.get('content-type')?.startsWith('application/json') ? await res.json() : await res.arrayBuffer();
      return { status: res.status, body, headers: res.headers };
    },
  },
  'get /api/documents/{id}/meta': { candidate: 'laura', expected: hidden(), call: (caller) => get(`/api/documents/${shared.documentId}/meta`, caller) },
  // Task links: the public pages answer whoever holds the token (an unknown one is 404 for everyone,
  // signed in or not); operators list, send and revoke.
  'get /api/public/task-links/{token}': { candidate: 'laura', expected: all(404), call: () => stack.request('GET', `/api/public/task-links/${UNKNOWN_TOKEN}`) },
  'post /api/public/task-links/{token}/complete': {
    candidate: 'laura',
    expected: all(404),
    call: (caller) => stack.request('POST', `/api/public/task-links/${UNKNOWN_TOKEN}/complete`, caller.token, { outcome: 'done' }),
  },
  'get /api/tasks/{id}/links': { candidate: 'laura', expected: adminOnly(200), call: (caller) => get(`/api/tasks/${shared.sale.taskId}/links`, caller) },
  'post /api/tasks/{id}/links': { candidate: 'laura', expected: adminOnly(201), call: (caller) => post(`/api/tasks/${shared.sale.taskId}/links`, caller, { email: 'cliente@ferreteria.cl' }) },
  'post /api/task-links/{id}/revoke': { candidate: 'laura', expected: adminOnly(404), call: (caller) => post(`/api/task-links/${NO_INCIDENT}/revoke`, caller) },
  'get /api/reports/funnel': { candidate: 'sara', expected: gated(200), call: (caller) => get('/api/reports/funnel?from=2026-01-01&to=2026-12-31', caller) },
  'get /api/reports/billing-kpi': { candidate: 'bea', expected: gated(200), call: (caller) => get('/api/reports/billing-kpi?month=2026-01', caller) },
  'post /api/public/prospects': {
    candidate: 'hugo',
    expected: all(202),
    call: (caller) => stack.request('POST', '/api/public/prospects', caller.token, { name: 'Authz', phone: `+591 7${String(next()).padStart(7, '0')}`, channel: 'web' }),
  },
  'post /api/public/leads': {
    candidate: 'sara',
    expected: all(202),
    call: (caller) => stack.request('POST', '/api/public/leads', caller.token, { name: 'Authz', email: `authz-${next()}@lead.example` }),
  },
  // Public: the gateway's signature is the credential, whoever holds a token. No gateway keys in this stack.
  'post /api/webhooks/gateways/{gateway}': {
    candidate: 'bea',
    expected: all(503),
    call: (caller) => stack.request('POST', '/api/webhooks/gateways/stripe', caller.token, undefined, { raw: '{"id":"evt_authz"}', headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' } }),
  },
  // The client portal: only a customer's portal session opens it (the candidate); every staff token is 401.
  'post /api/public/portal/login': { candidate: 'sara', expected: all(200), call: () => stack.request('POST', '/api/public/portal/login', undefined, { email: shared.customer.email, password: shared.customer.password }) },
  'get /api/portal/me': { candidate: 'sara', expected: portalOnly(200), call: (caller, who) => stack.request('GET', '/api/portal/me', portalToken(caller, who)) },
  'get /api/portal/invoices': {
    candidate: 'sara',
    expected: portalOnly(200),
    call: (caller, who) => stack.request('GET', '/api/portal/invoices', portalToken(caller, who)),
    check: (res, who) => {
      if (who === 'candidate') expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([shared.customer.invoiceId]);
    },
  },
  'get /api/portal/invoices/{id}/pdf': { candidate: 'sara', expected: portalOnly(200), call: (caller, who) => getDocument(`/api/portal/invoices/${shared.customer.invoiceId}/pdf`, { ...caller, token: portalToken(caller, who) }) },
  // Seed 003: back office keeps the blacklist; back office (and the leaders, the sites' integration user) register people.
  'get /api/blacklist': { candidate: 'bob', expected: gated(200), call: (caller) => get('/api/blacklist', caller) },
  'post /api/blacklist': { candidate: 'bob', expected: gated(201), call: (caller) => post('/api/blacklist', caller, { country: 'CO', documentType: 'CC', documentNumber: `7${String(next()).padStart(7, '0')}`, reasonCode: 'fraud', reason: 'Authz' }) },
  'post /api/blacklist/{id}/removal': { candidate: 'bob', expected: gated(200), call: (caller) => post(`/api/blacklist/${shared.blacklistId}/removal`, caller, { reason: 'Authz' }) },
  'get /api/blacklist/reasons': { candidate: 'bob', expected: gated(200), call: (caller) => get('/api/blacklist/reasons', caller) },
  'post /api/blacklist/reasons': { candidate: 'bob', expected: gated(201), call: (caller) => post('/api/blacklist/reasons', caller, { code: `authz-${next()}`, label: 'Authz' }) },
  'put /api/blacklist/reasons/{code}': { candidate: 'bob', expected: gated(200), call: (caller) => stack.request('PUT', '/api/blacklist/reasons/authz-reason', caller.token, { label: 'Authz, relabelled' }) },
  'get /api/agreements': { candidate: 'bob', expected: gated(200), call: (caller) => get('/api/agreements', caller) },
  'post /api/agreements': { candidate: 'bob', expected: gated(201), call: (caller) => post('/api/agreements', caller, { code: `authz-${next()}`, country: 'CO', title: 'Authz', content: 'Authz', pages: ['registration'] }) },
  'get /api/agreements/acceptances': { candidate: 'bob', expected: gated(200), call: (caller) => get('/api/agreements/acceptances', caller) },
  'get /api/agreements/{id}': { candidate: 'bob', expected: hidden(), call: (caller) => get(`/api/agreements/${shared.agreementId}`, caller) },
  'post /api/agreements/{id}/inactivation': { candidate: 'bob', expected: gated(200), call: (caller) => post(`/api/agreements/${shared.withdrawnId}/inactivation`, caller) },
  'get /api/consultants/{id}/agreements': { candidate: 'bob', expected: hidden(), call: (caller) => get(`/api/consultants/${shared.consultantId}/agreements`, caller) },
  'post /api/consultants/{id}/agreements/{agreementId}/acceptance': {
    candidate: 'bob',
    expected: gated(201),
    call: (caller) => post(`/api/consultants/${shared.consultantId}/agreements/${shared.agreementId}/acceptance`, caller, { page: 'profile' }),
  },
  'get /api/consultants': { candidate: 'bob', expected: gated(200), call: (caller) => get('/api/consultants', caller) },
  'get /api/consultants/{id}': { candidate: 'bob', expected: hidden(), call: (caller) => get(`/api/consultants/${shared.consultantId}`, caller) },
  // Past the role check, a customer is no consultant to inactivate or reactivate: 409.
  'post /api/consultants/{id}/inactivation': { candidate: 'bob', expected: gated(409), call: (caller) => post(`/api/consultants/${shared.consultantId}/inactivation`, caller, { reason: 'Authz' }) },
  'post /api/consultants/{id}/reactivation': { candidate: 'bob', expected: gated(409), call: (caller) => post(`/api/consultants/${shared.consultantId}/reactivation`, caller, { reason: 'Authz' }) },
  // Past the role check, no enrollment of theirs waits for a start kit: 409.
  'post /api/consultants/{id}/kit-payment': { candidate: 'bob', expected: gated(409), call: (caller) => post(`/api/consultants/${shared.consultantId}/kit-payment`, caller, { amount: 45000, currency: 'COP', method: 'pse', transactionId: `authz-${next()}` }) },
  'post /api/consultants/{id}/credit-requests': { candidate: 'bob', expected: gated(409), call: (caller) => post(`/api/consultants/${shared.consultantId}/credit-requests`, caller, { requestedLimit: 100000 }) },
  'post /api/consultants/registrations': {
    candidate: 'bob',
    expected: gated(201),
    call: (caller) => post('/api/consultants/registrations', caller, {
      person: { country: 'CO', documentType: 'CC', documentNumber: `6${String(next()).padStart(7, '0')}`, name: 'Authz', email: `authz${next()}@gmail.com`, zone: 'bogota-norte' },
      channel: 'corporate-backend', formType: 'short', registerAs: 'customer',
    }),
  },
  'get /api/portal/documents': {
    candidate: 'sara',
    expected: portalOnly(200),
    call: (caller, who) => stack.request('GET', '/api/portal/documents', portalToken(caller, who)),
    check: (res, who) => {
      if (who === 'candidate') expect([res.body.estimate.id, res.body.contracts.map((c: { id: string }) => c.id)]).toEqual([shared.estimateId, [shared.contractId]]);
    },
  },
  'get /api/portal/estimates/{id}/pdf': { candidate: 'sara', expected: portalOnly(200), call: (caller, who) => getDocument(`/api/portal/estimates/${shared.estimateId}/pdf`, { ...caller, token: portalToken(caller, who) }) },
  'get /api/portal/contracts/{id}/pdf': { candidate: 'sara', expected: portalOnly(200), call: (caller, who) => getDocument(`/api/portal/contracts/${shared.contractId}/pdf`, { ...caller, token: portalToken(caller, who) }) },
  'post /api/portal/logout': {
    candidate: 'sara',
    expected: portalOnly(204),
    // A session of its own to end, so the other rules keep theirs.
    call: async (caller, who) => stack.request('POST', '/api/portal/logout', who === 'candidate' ? (await stack.request('POST', '/api/public/portal/login', undefined, { email: shared.customer.email, password: shared.customer.password })).body.token : caller.token),
  },
  'post /api/tickets': { candidate: 'sara', expected: gated(202), call: (caller) => post('/api/tickets', caller, { customerId: shared.customer.customerId, subject: 'Authz', body: 'Authz' }) },
  'get /api/tickets': { candidate: 'sara', expected: gated(200), call: (caller) => get(`/api/tickets?customerId=${shared.customer.customerId}`, caller) },
  'get /api/tickets/{id}': { candidate: 'sara', expected: hidden(), call: (caller) => get(`/api/tickets/${shared.ticketId}`, caller) },
  'post /api/portal/tickets': { candidate: 'sara', expected: portalOnly(202), call: (caller, who) => stack.request('POST', '/api/portal/tickets', portalToken(caller, who), { subject: 'Authz', body: 'Authz' }) },
  'get /api/portal/tickets': { candidate: 'sara', expected: portalOnly(200), call: (caller, who) => stack.request('GET', '/api/portal/tickets', portalToken(caller, who)) },
  'get /api/portal/tickets/{id}': { candidate: 'sara', expected: portalOnly(200), call: (caller, who) => stack.request('GET', `/api/portal/tickets/${shared.ticketId}`, portalToken(caller, who)) },
  'post /api/portal/tickets/{id}/replies': {
    candidate: 'sara',
    expected: portalOnly(202),
    call: (caller, who) => stack.request('POST', `/api/portal/tickets/${shared.ticketId}/replies`, portalToken(caller, who), { body: `Authz ${next()}` }),
  },
  // The client's signing link: the token is the credential, whoever holds a staff token (an unknown one here).
  'get /api/public/contracts/{token}': { candidate: 'sara', expected: all(404), call: (caller) => get(`/api/public/contracts/${'A'.repeat(43)}`, caller) },
  'get /api/public/contracts/{token}/pdf': { candidate: 'sara', expected: all(404), call: (caller) => getDocument(`/api/public/contracts/${'A'.repeat(43)}/pdf`, caller) },
  'post /api/public/contracts/{token}/sign': { candidate: 'sara', expected: all(404), call: (caller) => post(`/api/public/contracts/${'A'.repeat(43)}/sign`, caller, { method: 'typed', signerName: 'Authz', typedSignature: 'Authz', agree: true }) },
  'get /api/contracts/{id}/pdf': { candidate: 'sara', expected: hidden(), call: (caller) => getDocument(`/api/contracts/${shared.contractId}/pdf`, caller) },
  'get /api/boards/{definitionId}': { candidate: 'sara', expected: gated(200), call: (caller) => get('/api/boards/lead-to-customer', caller) },
  'get /api/boards/{definitionId}/columns/{stage}': { candidate: 'sara', expected: gated(200), call: (caller) => get('/api/boards/lead-to-customer/columns/new', caller) },
  'get /api/leads/form-snippet': { candidate: 'sara', expected: gated(200), call: (caller) => get('/api/leads/form-snippet', caller) },
  'post /api/leads/{id}/notes': { candidate: 'sara', expected: gated(404), call: (caller) => post('/api/leads/no-such-lead/notes', caller, { body: 'Authz' }) },
  'post /api/leads/{id}/follow-ups': { candidate: 'sara', expected: gated(404), call: (caller) => post('/api/leads/no-such-lead/follow-ups', caller, { title: 'Authz', dueAt: '2027-01-15T15:00:00Z' }) },
  'get /api/leads/{id}/notes': { candidate: 'sara', expected: gated(404), call: (caller) => get('/api/leads/no-such-lead/notes', caller) },
  'get /api/reports/digital-sales': { candidate: 'lia', expected: gated(200), call: (caller) => get('/api/reports/digital-sales?month=2026-01', caller) },
  'get /api/reports/unattended-requests': { candidate: 'lia', expected: gated(200), call: (caller) => get('/api/reports/unattended-requests', caller) },
  'get /api/residential-sales/{id}/contract-request': { candidate: 'lia', expected: all(404), call: (caller) => get('/api/residential-sales/no-such-sale/contract-request', caller) },
  'post /api/residential-sales/{id}/reentry': { candidate: 'lia', expected: gated(404), call: (caller) => post('/api/residential-sales/no-such-sale/reentry', caller) },
  'post /api/bank-statements': {
    candidate: 'cata',
    expected: gated(201),
    call: (caller) => stack.request('POST', '/api/bank-statements', caller.token, undefined, { raw: `date,amount,deposit_number,operation_type,depositor\n2026-11-30,10.00,AUTHZ-${next()},qr,Ana\n`, headers: { 'content-type': 'text/csv' } }),
  },
  'get /api/catalog': { candidate: 'sara', expected: gated(200), call: (caller) => get('/api/catalog', caller) },
  'post /api/estimates': {
    candidate: 'sara',
    // Past the role check the service refuses an estimate for no process.
    expected: gated(422),
    call: (caller) => post('/api/estimates', caller, { processId: 'authz-no-process', customer: { name: 'Authz', email: 'authz@andina.co' }, currency: 'COP', lines: [{ itemCode: 'kontaly-basico', quantity: 1 }] }),
  },
  'get /api/estimates/{id}': { candidate: 'sara', expected: gated(404), call: (caller) => get(`/api/estimates/${NO_INCIDENT}`, caller) },
  'post /api/estimates/{id}/revisions': { candidate: 'sara', expected: gated(404), call: (caller) => post(`/api/estimates/${NO_INCIDENT}/revisions`, caller, { lines: [{ itemCode: 'kontaly-basico', quantity: 1 }] }) },
  'get /api/estimates/{id}/pdf': { candidate: 'sara', expected: gated(404), call: (caller) => get(`/api/estimates/${NO_INCIDENT}/pdf`, caller) },
  'get /api/public/estimates/{token}/pdf': { candidate: 'sara', expected: all(404), call: () => stack.request('GET', `/api/public/estimates/${UNKNOWN_TOKEN}/pdf`) },
  'post /api/estimates/{id}/send': { candidate: 'sara', expected: gated(404), call: (caller) => post(`/api/estimates/${NO_INCIDENT}/send`, caller, {}) },
  'get /api/public/estimates/{token}': { candidate: 'sara', expected: all(404), call: () => stack.request('GET', `/api/public/estimates/${UNKNOWN_TOKEN}`) },
  'post /api/public/estimates/{token}/accept': { candidate: 'sara', expected: all(404), call: (caller) => stack.request('POST', `/api/public/estimates/${UNKNOWN_TOKEN}/accept`, caller.token) },
  'post /api/public/estimates/{token}/decline': { candidate: 'sara', expected: all(404), call: (caller) => stack.request('POST', `/api/public/estimates/${UNKNOWN_TOKEN}/decline`, caller.token, {}) },
  'post /api/public/portal-setup/{token}': { candidate: 'sara', expected: all(404), call: (caller) => stack.request('POST', `/api/public/portal-setup/${UNKNOWN_TOKEN}`, caller.token, { password: 'una clave bien larga' }) },
  'get /api/coverage': { candidate: 'hugo', expected: gated(200), call: (caller) => get('/api/coverage', caller) },
  'post /api/coverage': {
    candidate: 'lia',
    expected: gated(200),
    call: (caller) => stack.request('POST', '/api/coverage', caller.token, undefined, { raw: 'zone,technology,max_speed_mbps\nauthz-zone,fiber,100\n', headers: { 'content-type': 'text/csv' } }),
  },
};

const callerFor = (rule: RouteRule, who: Who): Caller => callers[who === 'outsider' ? 'ines' : who === 'operator' ? 'root' : rule.candidate];

describe('every route has a rule', () => {
  test('the table names exactly the routes of the API and of its OpenAPI document', async () => {
    const mounted = apiRoutes({ db: stack.db, temporal: stack.temporal, config: stack.config }).routes.map((r) => `${r.method} ${openApiPath(r.path)}`);
    const document = (await stack.request('GET', '/api/openapi.json')).body;
    const documented = Object.entries(document.paths).flatMap(([p, ops]) => Object.keys(ops as object).map((m) => `${m} ${p}`));
    // A new route fails here until it gets a rule below.
    expect(mounted.filter((r) => !(r in RULES))).toEqual([]);
    expect(documented.filter((r) => !(r in RULES))).toEqual([]);
    expect(Object.keys(RULES).sort()).toEqual([...new Set([...mounted, ...documented])].sort());
  });
});

describe.each(Object.keys(RULES).sort())('%s', (route) => {
  test.each(WHO)('as %s', async (who) => {
    const rule = RULES[route];
    const res = await rule.call(callerFor(rule, who), who);
    const expected = ([] as number[]).concat(rule.expected[who]);
    // The body comes along so that a wrong status shows what the API said.
    const ok = expected.includes(res.status);
    expect({ who, status: res.status, body: ok ? undefined : res.body }).toEqual({ who, status: ok ? res.status : expected[0], body: undefined });
    if (res.status === 404) expectError(res, 404);
    rule.check?.(res, who);
  }, 60_000);
});

describe('an outsider learns nothing from a 404', () => {
  test('a hidden task or process answers like one that does not exist', async () => {
    const { ines } = callers;
    const unknownId = '00000000-0000-4000-8000-000000000000';
    const pairs: Array<[string, string]> = [
      [`/api/tasks/${shared.sale.taskId}`, `/api/tasks/${unknownId}`],
      [`/api/processes/${shared.sale.id}`, `/api/processes/${unknownId}`],
      [`/api/processes/${shared.sale.id}/history`, `/api/processes/${unknownId}/history`],
      [`/api/processes/${shared.sale.id}/history?view=technical`, `/api/processes/${unknownId}/history?view=technical`],
      [`/api/accounts/${shared.accountId}`, `/api/accounts/${unknownId}`],
      [`/api/imports/${shared.importId}`, `/api/imports/${unknownId}`],
    ];
    for (const [hiddenPath, unknownPath] of pairs) {
      const [a, b] = [await get(hiddenPath, ines), await get(unknownPath, ines)];
      const shape = (r: ApiResponse, id: string) => JSON.parse(JSON.stringify(r.body).split(id).join('<id>'));
      expect({ path: hiddenPath, status: a.status, body: shape(a, hiddenPath.split('/')[3]) }).toEqual({ path: hiddenPath, status: b.status, body: shape(b, unknownId) });
    }
  });
});

describe('lists show exactly what single reads show', () => {
  test.each(['ines', 'laura', 'dora', 'pedro'])('%s: every listed process and task opens, every other one is 404', async (username) => {
    const caller = callers[username];
    for (const [list, one] of [['/api/processes?limit=100', '/api/processes'], ['/api/tasks?status=all&limit=100', '/api/tasks']] as const) {
      const everything = ids(await get(list, callers.root));
      const visible = new Set(ids(await get(list, caller)));
      for (const id of everything) {
        const res = await get(`${one}/${id}`, caller);
        expect({ id, list, status: res.status }).toEqual({ id, list, status: visible.has(id) ? 200 : 404 });
      }
    }
  }, 120_000);
});

describe('issue 7, point 3: reads are authorized', () => {
  // `client` and `consultant` act in the assisted sale, not in the trial of a digital account.
  const outsiders = () => [callers.pedro, callers.laura];

  test("a trial's task, its process and history, and its account are not theirs: 404", async () => {
    for (const caller of outsiders()) {
      expectError(await get(`/api/tasks/${shared.trialTaskId}`, caller), 404, 'TaskNotFound');
      expectError(await get(`/api/processes/${shared.trialId}`, caller), 404, 'not_found');
      expectError(await get(`/api/processes/${shared.trialId}/history`, caller), 404, 'not_found');
      expectError(await get(`/api/processes/${shared.trialId}/history?view=technical`, caller), 404, 'not_found');
      expectError(await get(`/api/accounts/${shared.accountId}`, caller), 404, 'not_found');
    }
    // Those who work it see it.
    expect((await get(`/api/tasks/${shared.trialTaskId}`, callers.dora)).status).toBe(200);
    expect((await get(`/api/processes/${shared.trialId}`, callers.dora)).body).toMatchObject({ id: shared.trialId, variables: { email: expect.any(String) } });
    expect((await get(`/api/accounts/${shared.accountId}`, callers.bea)).status).toBe(200);
  });

  test('the process list and the inbox leave the trial out', async () => {
    for (const caller of outsiders()) {
      expect(ids(await get('/api/processes?limit=100', caller))).not.toContain(shared.trialId);
      expect(ids(await get('/api/processes?definitionId=trial-lifecycle', caller))).toEqual([]);
      expect(ids(await get(`/api/tasks?status=all&processId=${shared.trialId}`, caller))).toEqual([]);
    }
    expect(ids(await get('/api/processes?definitionId=trial-lifecycle', callers.sara))).toContain(shared.trialId);
  });

  test('only its starters (and admins) start a definition', async () => {
    const trial = { definitionId: 'trial-lifecycle', businessKey: `authz-trial-${next()}`, variables: { email: 'x@empresa.cl', rut: '76.086.428-5', name: 'X SpA', planCode: 'trial-pyme', channel: 'ecommerce' } };
    for (const caller of [callers.pedro, callers.laura, callers.sara]) {
      const res = await post('/api/processes', caller, trial);
      expectError(res, 403, 'not_a_starter');
      expect(res.body.error.details).toEqual({ definitionId: 'trial-lifecycle', starters: [] });
    }
    expectError(await post('/api/processes', callers.pedro, { definitionId: 'assisted-sale', businessKey: `authz-x-${next()}`, variables: saleVariables('pedro') }), 403, 'not_a_starter');
    expect(await stack.db('process_instances').where({ definition_id: 'trial-lifecycle' }).whereIn('started_by', ['pedro', 'laura', 'sara']).pluck('id')).toEqual([]);
  });
});

describe('issue 7, point 11: one task rule in the API and in the workflow', () => {
  test('an assignee without a candidate role sees the task but may not act: the API refuses before Temporal', async () => {
    // No workflow behind these rows: a refusal can only come from the API's own check.
    await stack.db('process_instances').insert({ id: 'authz-rows', workflow_id: 'authz-rows', definition_id: 'assisted-sale', version: 1, business_key: 'authz-rows', status: 'running', started_by: 'root' });
    await stack.db('tasks').insert({ id: 'authz-rows:t:1', instance_id: 'authz-rows', step_id: 'chooseTemplate', title: 'T', candidate_roles: ['consultant'], outcomes: ['chosen'], assignee: 'ines' });
    expect((await get('/api/tasks/authz-rows:t:1', callers.ines)).status).toBe(200);
    expectError(await post('/api/tasks/authz-rows:t:1/claim', callers.ines), 403, 'NotACandidate');
    expectError(await post('/api/tasks/authz-rows:t:1/release', callers.ines), 403, 'NotACandidate');
    expectError(await post('/api/tasks/authz-rows:t:1/complete', callers.ines, { outcome: 'chosen', data: {} }), 403, 'NotACandidate');
  });

  test('the workflow refuses the same assignee when the update reaches it directly', async () => {
    const sale = await startSale('pedro');
    expectError(await post(`/api/tasks/${sale.taskId}/claim`, callers.pedro), 403, 'NotACandidate');
    const handle = await stack.handle(sale.id);
    const refused = await handle.executeUpdate(claimTaskUpdate, { args: [{ taskId: sale.taskId, actor: { username: 'pedro', roles: ['client'] } }] }).catch((e) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(refused.cause).toMatchObject({ type: 'NotACandidate' });
    // A stranger is told, by the workflow too, that there is no such task.
    const stranger = await handle.executeUpdate(claimTaskUpdate, { args: [{ taskId: sale.taskId, actor: { username: 'ines', roles: ['cashier'] } }] }).catch((e) => e);
    expect(stranger.cause).toMatchObject({ type: 'TaskNotFound' });
  });

  test("an admin takes over someone else's claim through the API, as the workflow allows", async () => {
    const sale = await startSale('laura');
    const claimed = await post(`/api/tasks/${sale.taskId}/claim`, callers.root);
    expect({ status: claimed.status, assignee: claimed.body.assignee }).toEqual({ status: 200, assignee: 'root' });
    expect((await get(`/api/tasks/${sale.taskId}`, callers.laura)).body.assignee).toBe('root');
    // Now it is the admin's: laura, a candidate, is refused by both layers alike.
    expectError(await post(`/api/tasks/${sale.taskId}/complete`, callers.laura, { outcome: 'chosen', data: { template: 'sitio-web', plan: 'mnd-basico' } }), 409, 'ClaimedByOther');
    const direct = await (await stack.handle(sale.id))
      .executeUpdate(completeTaskUpdate, { args: [{ taskId: sale.taskId, outcome: 'chosen', data: { template: 'sitio-web', plan: 'mnd-basico' }, actor: { username: 'laura', roles: ['consultant'] } }] })
      .catch((e) => e);
    expect(direct.cause).toMatchObject({ type: 'ClaimedByOther' });
    const done = await post(`/api/tasks/${sale.taskId}/complete`, callers.root, { outcome: 'chosen', data: { template: 'sitio-web', plan: 'mnd-basico' } });
    expect({ status: done.status, completedBy: done.body.completedBy }).toEqual({ status: 200, completedBy: 'root' });
    await eventually(() => get(`/api/tasks/${sale.taskId}`, callers.laura), (r) => r.body.status === 'completed', 'the task to be completed');
  });
});
