/**
 * The HTTP contract that needs no running workflow: auth, validation and error shapes, definitions,
 * starting (no worker listens on this file's task queue, so the workflow just waits), duplicates,
 * events and cancel bookkeeping, the inbox and the OpenAPI document.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openApiPath } from '../../api/openapi';
import { apiRoutes } from '../../api/app';
import { expectError, startApiStack, type ApiStack } from '../support/api';

const fixture = (p: string) => readFileSync(path.join(__dirname, '..', 'fixtures', p), 'utf8');

let stack: ApiStack;
let adminToken: string;
let salesToken: string;

beforeAll(async () => {
  // No worker on this file's task queue, and an empty definitions catalog: this file deploys its own.
  stack = await startApiStack('api-contract', {
    worker: false,
    definitions: false,
    // A start waits this long for a worker to take it before answering (none ever does here).
    config: (c) => ({ ...c, http: { ...c.http, timeouts: { ...c.http.timeouts, eventDeliveryMs: 1_000 } } }),
  });
  await stack.addUser('root', ['admin']);
  await stack.addUser('ana', ['sales']);
  adminToken = await stack.login('root');
  salesToken = await stack.login('ana');
});

afterAll(async () => {
  await stack?.close();
});

describe('health', () => {
  test('GET /healthz reports both dependencies', async () => {
    const res = await stack.request('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', temporal: { ok: true }, database: { ok: true }, mail: { ok: expect.any(Boolean), transport: expect.any(String) } });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });
});

describe('auth', () => {
  test('401 without a token, with a bad one, and with an expired one', async () => {
    expectError(await stack.request('GET', '/api/definitions'), 401, 'unauthorized');
    expectError(await stack.request('GET', '/api/definitions', 'nope'), 401, 'unauthorized');
    const token = await stack.login('ana');
    const tokenHash = createHash('sha256').update(token).digest('hex');
    expect(await stack.db('sessions').where({ token_hash: tokenHash }).update({ expires_at: new Date(Date.now() - 1000) })).toBe(1);
    expectError(await stack.request('GET', '/api/auth/me', token), 401);
  });

  test('login with a bad password is 401, a good one returns token, user and expiry', async () => {
    expectError(await stack.request('POST', '/api/auth/login', undefined, { username: 'ana', password: 'wrong' }), 401);
    expectError(await stack.request('POST', '/api/auth/login', undefined, { username: 'nobody', password: 'wrong' }), 401);
    const before = Date.now();
    const res = await stack.request('POST', '/api/auth/login', undefined, { username: 'ana', password: 'ana-password' });
    const after = Date.now();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token: expect.any(String), user: { username: 'ana', roles: ['sales'] } });
    // A session lasts 12 hours from the login, which happened between `before` and `after`.
    const expiresAt = Date.parse(res.body.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 12 * 3_600_000);
    expect(expiresAt).toBeLessThanOrEqual(after + 12 * 3_600_000);
  });

  test('me, then logout ends the session', async () => {
    const token = await stack.login('ana');
    expect((await stack.request('GET', '/api/auth/me', token)).body).toMatchObject({ username: 'ana', roles: ['sales'] });
    expect((await stack.request('POST', '/api/auth/logout', token)).status).toBe(204);
    expectError(await stack.request('GET', '/api/auth/me', token), 401);
  });
});

describe('validation', () => {
  test('malformed JSON is 400, not 500', async () => {
    expectError(await stack.request('POST', '/api/auth/login', undefined, undefined, { raw: '{"username": "ana",' }), 400, 'malformed_json');
    expectError(await stack.request('POST', '/api/processes', salesToken, undefined, { raw: '{oops' }), 400, 'malformed_json');
  });

  test('a body not matching the schema is 400 with each problem and its path', async () => {
    const res = await stack.request('POST', '/api/processes', salesToken, { definitionId: 'Not Kebab', variables: [], extra: 1 });
    expectError(res, 400, 'invalid_request');
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['/definitionId', '/businessKey', '/variables', '/extra']));
    expect(res.body.error.details[0]).toMatchObject({ in: 'body', path: expect.any(String), message: expect.any(String) });
  });

  test('a query not matching the schema is 400 with its path', async () => {
    const res = await stack.request('GET', '/api/processes?limit=500&status=sleeping', salesToken);
    expectError(res, 400, 'invalid_request');
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ in: 'query', path: '/limit' }), expect.objectContaining({ in: 'query', path: '/status' })]),
    );
  });

  test('unknown routes are 404 in the error shape', async () => {
    expectError(await stack.request('GET', '/api/nothing-here', salesToken), 404, 'route_not_found');
  });
});

describe('definitions', () => {
  test('unknown definition is 404', async () => {
    expectError(await stack.request('GET', '/api/definitions/no-such-process', salesToken), 404, 'not_found');
    expectError(await stack.request('GET', '/api/definitions/no-such-process/versions/1', salesToken), 404, 'not_found');
  });

  test('deploy requires admin', async () => {
    expectError(await stack.request('POST', '/api/definitions', salesToken, undefined, { raw: fixture('valid/invoice-customer.yaml'), headers: { 'content-type': 'application/yaml' } }), 403, 'forbidden');
  });

  test('broken YAML is 422 with located errors', async () => {
    const res = await stack.request('POST', '/api/definitions?file=yaml-syntax.yaml', adminToken, undefined, { raw: fixture('broken/yaml-syntax.yaml'), headers: { 'content-type': 'text/yaml' } });
    expectError(res, 422, 'invalid_definition');
    expect(res.body.error.details[0]).toMatchObject({ file: 'yaml-syntax.yaml', line: 18, column: expect.any(Number), message: expect.any(String) });
    const semantic = await stack.request('POST', '/api/definitions', adminToken, undefined, { raw: fixture('broken/unknown-transition-target.yaml'), headers: { 'content-type': 'text/plain' } });
    expectError(semantic, 422, 'invalid_definition');
    expect(semantic.body.error.details[0]).toMatchObject({ line: expect.any(Number), column: expect.any(Number), path: expect.any(String) });
  });

  test('a JSON body is 415 on deploy', async () => {
    expectError(await stack.request('POST', '/api/definitions', adminToken, { id: 'x' }), 415, 'unsupported_media_type');
  });

  test('deploy creates a version (201), the same content again returns it (200)', async () => {
    const yaml = fixture('valid/invoice-customer.yaml');
    const first = await stack.request('POST', '/api/definitions', adminToken, undefined, { raw: yaml, headers: { 'content-type': 'application/yaml' } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: 'invoice-customer', version: 1, created: true, definition: { variables: { type: 'object' } } });
    const again = await stack.request('POST', '/api/definitions', adminToken, undefined, { raw: yaml, headers: { 'content-type': 'application/yaml' } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: 'invoice-customer', version: 1, created: false });

    const list = await stack.request('GET', '/api/definitions', salesToken);
    expect(list.body.items).toEqual([expect.objectContaining({ id: 'invoice-customer', latestVersion: 1 })]);
    const detail = await stack.request('GET', '/api/definitions/invoice-customer', salesToken);
    expect(detail.body).toMatchObject({ id: 'invoice-customer', version: 1, versions: [expect.objectContaining({ version: 1 })] });
    expect((await stack.request('GET', '/api/definitions/invoice-customer/versions/1', salesToken)).status).toBe(200);
  });
});

describe('processes (no worker: the workflow is started but never runs)', () => {
  const start = (body: unknown) => stack.request('POST', '/api/processes', salesToken, body);

  test('unknown definition is 404; variables not matching the schema are 422 with paths', async () => {
    expectError(await start({ definitionId: 'no-such-process', businessKey: 'k', variables: {} }), 404);
    const res = await start({ definitionId: 'invoice-customer', businessKey: 'k', variables: { accountId: 1 } });
    expectError(res, 422, 'invalid_variables');
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ in: 'variables', path: '/accountId' }), expect.objectContaining({ path: '/amount' })]),
    );
  });

  test('start is 201; a second running instance with the same business key is 409', async () => {
    const body = { definitionId: 'invoice-customer', businessKey: 'ACME-1', variables: { accountId: 'acc-1', amount: 100 } };
    const res = await start(body);
    expect(res.status).toBe(201);
    // No worker takes the opening: the answer comes once the wait is over, still running.
    expect(res.body).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), workflowId: 'invoice-customer/ACME-1', definitionId: 'invoice-customer', version: 1, status: 'running' });
    const description = await stack.temporal.workflow.getHandle(res.body.workflowId).describe();
    expect(description.taskQueue).toBe(stack.config.temporal.taskQueue);
    expect(description.runId).toBe(res.body.id);

    const dup = await start(body);
    expectError(dup, 409, 'duplicate_business_key');
    expect(dup.body.error.details.runningId).toBe(res.body.id);

    // Temporal owns the instance; its row is the worker's to write (engine.recordStart), so with no
    // worker nothing is listed yet and nothing was written by the API.
    const list = await stack.request('GET', '/api/processes?definitionId=invoice-customer&status=running&limit=10', salesToken);
    expect(list.body).toMatchObject({ total: 0, items: [] });
    expect(await stack.db('process_instances').where({ business_key: 'ACME-1' })).toEqual([]);
    await stack.temporal.workflow.getHandle(res.body.workflowId).terminate('test cleanup');
  }, 30_000);

  test('unknown process is 404; a closed one cannot be cancelled (409)', async () => {
    expectError(await stack.request('GET', '/api/processes/nope', salesToken), 404);
    expectError(await stack.request('POST', '/api/processes/nope/cancel', adminToken, { reason: 'x' }), 404);
    await stack.db('process_instances').insert({ id: 'closed-1', workflow_id: 'closed-1', definition_id: 'invoice-customer', version: 1, business_key: 'old', status: 'completed', started_by: 'ana' });
    expectError(await stack.request('POST', '/api/processes/closed-1/cancel', adminToken, { reason: 'x' }), 409, 'not_running');
  });

  test('the list filters by the version an instance started on', async () => {
    await stack.db('process_instances').insert([
      { id: 'versioned-1', workflow_id: 'versioned-1', definition_id: 'versioned', version: 1, business_key: 'v-a', status: 'completed', started_by: 'ana' },
      { id: 'versioned-2', workflow_id: 'versioned-2', definition_id: 'versioned', version: 2, business_key: 'v-b', status: 'completed', started_by: 'ana' },
    ]);
    const v2 = await stack.request('GET', '/api/processes?definitionId=versioned&version=2', salesToken);
    expect(v2.body).toMatchObject({ total: 1, items: [expect.objectContaining({ id: 'versioned-2', version: 2 })] });
    expect((await stack.request('GET', '/api/processes?definitionId=versioned', salesToken)).body.total).toBe(2);
    expectError(await stack.request('GET', '/api/processes?version=0', salesToken), 400, 'invalid_request');
  });
});

describe('tasks (rows written directly; no workflow involved)', () => {
  beforeAll(async () => {
    await stack.db('process_instances').insert({ id: 'p-tasks', workflow_id: 'p-tasks', definition_id: 'invoice-customer', version: 1, business_key: 'T-1', status: 'completed', started_by: 'ana' });
    await stack.db('tasks').insert([
      { id: 'p-tasks:review:1', instance_id: 'p-tasks', step_id: 'review', title: 'Review', candidate_roles: ['sales'], outcomes: ['ok'], due_at: new Date(Date.now() - 60_000) },
      { id: 'p-tasks:bill:1', instance_id: 'p-tasks', step_id: 'bill', title: 'Bill', candidate_roles: ['billing'], outcomes: ['done'] },
      { id: 'p-tasks:old:1', instance_id: 'p-tasks', step_id: 'old', title: 'Old', candidate_roles: ['sales'], outcomes: ['ok'], status: 'completed' },
    ]);
  });

  test("the inbox shows open tasks for the caller's roles; admin sees all", async () => {
    const mine = await stack.request('GET', '/api/tasks', salesToken);
    expect(mine.body.items.map((t: { id: string }) => t.id)).toEqual(['p-tasks:review:1']);
    expect(mine.body.items[0]).toMatchObject({ overdue: true, candidateRoles: ['sales'], outcomes: ['ok'], definitionId: 'invoice-customer', businessKey: 'T-1' });
    const all = await stack.request('GET', '/api/tasks?status=all', adminToken);
    expect(all.body.total).toBe(3);
  });

  test('claim/complete refusals decided from the database', async () => {
    expectError(await stack.request('POST', '/api/tasks/nope/claim', salesToken), 404);
    // A task of another role is not visible to sales: the same 404 as an unknown one.
    expectError(await stack.request('POST', '/api/tasks/p-tasks:bill:1/claim', salesToken), 404, 'TaskNotFound');
    expectError(await stack.request('POST', '/api/tasks/p-tasks:old:1/claim', salesToken), 409, 'TaskNotOpen');
    expectError(await stack.request('POST', '/api/tasks/p-tasks:review:1/complete', salesToken, { outcome: 'nope' }), 422, 'UnknownOutcome');
    expectError(await stack.request('POST', '/api/tasks/p-tasks:review:1/complete', salesToken, { data: {} }), 400, 'invalid_request');
  });

  test("someone else's claim: an admin may take it over (claim, release or complete it)", async () => {
    await stack.db('tasks').insert({ id: 'p-tasks:held:1', instance_id: 'p-tasks', step_id: 'held', title: 'Held', candidate_roles: ['billing'], outcomes: ['ok'], assignee: 'someone' });
    // Past the database checks, the call reaches Temporal, where this instance has no workflow.
    expectError(await stack.request('POST', '/api/tasks/p-tasks:held:1/claim', adminToken), 409, 'not_running');
    expectError(await stack.request('POST', '/api/tasks/p-tasks:held:1/release', adminToken), 409, 'not_running');
    expectError(await stack.request('POST', '/api/tasks/p-tasks:held:1/complete', adminToken, { outcome: 'ok' }), 409, 'TaskNotOpen');
  });
});

describe('openapi', () => {
  test('GET /api/openapi.json is OpenAPI 3.1 and lists every mounted route', async () => {
    const res = await stack.request('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const { routes } = apiRoutes({ db: stack.db, temporal: stack.temporal, config: stack.config });
    for (const r of routes) expect(res.body.paths[openApiPath(r.path)]?.[r.method]).toBeDefined();
    const expected = [
      'get /healthz', 'post /api/auth/login', 'post /api/auth/logout', 'get /api/auth/me',
      'get /api/definitions', 'get /api/definitions/{id}', 'get /api/definitions/{id}/versions/{version}', 'post /api/definitions',
      'post /api/processes', 'get /api/processes', 'get /api/processes/{id}', 'get /api/processes/{id}/history',
      'post /api/processes/{id}/events/{name}', 'post /api/processes/{id}/cancel',
      'get /api/tasks', 'get /api/tasks/{id}', 'post /api/tasks/{id}/claim', 'post /api/tasks/{id}/release', 'post /api/tasks/{id}/complete',
      'post /api/opportunities', 'post /api/imports/contacts', 'get /api/imports/{id}', 'get /api/imports/{id}/rows',
      'post /api/accounts', 'get /api/accounts/{id}', 'post /api/accounts/{id}/upgrades', 'post /api/webhooks/payments',
      'get /api/invoices/{id}/pdf', 'post /api/invoices/{id}/payments',
      'get /api/reports/funnel', 'get /api/reports/billing-kpi', 'get /api/coverage', 'post /api/coverage', 'post /api/public/prospects', 'get /api/catalog', 'post /api/estimates', 'get /api/estimates/{id}', 'post /api/estimates/{id}/revisions', 'post /api/estimates/{id}/send', 'get /api/estimates/{id}/pdf', 'get /api/public/estimates/{token}/pdf', 'get /api/public/estimates/{token}', 'post /api/public/estimates/{token}/accept', 'post /api/public/estimates/{token}/decline', 'post /api/public/portal-setup/{token}', 'post /api/public/leads', 'get /api/leads/form-snippet', 'post /api/leads/{id}/notes', 'get /api/leads/{id}/notes', 'post /api/leads/{id}/follow-ups', 'get /api/invoices', 'get /api/estimates', 'get /api/invoices/{id}', 'post /api/webhooks/gateways/{gateway}', 'post /api/public/portal/login', 'get /api/portal/me', 'get /api/portal/invoices', 'get /api/portal/invoices/{id}/pdf', 'get /api/portal/documents', 'get /api/blacklist', 'post /api/blacklist', 'post /api/blacklist/{id}/removal', 'get /api/blacklist/reasons', 'post /api/blacklist/reasons', 'put /api/blacklist/reasons/{code}', 'post /api/consultants/registrations', 'post /api/consultants/{id}/kit-payment', 'post /api/consultants/{id}/credit-requests', 'get /api/consultants', 'get /api/consultants/{id}', 'post /api/consultants/{id}/inactivation', 'post /api/consultants/{id}/reactivation', 'get /api/agreements', 'post /api/agreements', 'get /api/agreements/acceptances', 'get /api/agreements/{id}', 'post /api/agreements/{id}/inactivation', 'get /api/consultants/{id}/agreements', 'post /api/consultants/{id}/agreements/{agreementId}/acceptance', 'get /api/portal/estimates/{id}/pdf', 'get /api/portal/contracts/{id}/pdf', 'post /api/portal/logout', 'post /api/tickets', 'get /api/tickets', 'get /api/tickets/{id}', 'post /api/portal/tickets', 'get /api/portal/tickets', 'get /api/portal/tickets/{id}', 'post /api/portal/tickets/{id}/replies', 'get /api/public/contracts/{token}', 'get /api/public/contracts/{token}/pdf', 'post /api/public/contracts/{token}/sign', 'get /api/contracts/{id}/pdf', 'get /api/boards/{definitionId}', 'get /api/boards/{definitionId}/columns/{stage}', 'post /api/bank-statements', 'post /api/residential-sales/{id}/reentry', 'get /api/residential-sales/{id}/contract-request', 'get /api/reports/unattended-requests', 'get /api/reports/digital-sales',
      'post /api/admin/reconcile',
      'get /api/incidents', 'get /api/incidents/{id}', 'post /api/incidents/{id}/retry', 'post /api/incidents/{id}/cancel', 'post /api/incidents/{id}/terminate',
      'get /api/mail', 'get /api/mail/{id}',
      'post /api/documents', 'get /api/documents/{id}', 'get /api/documents/{id}/meta',
      'get /api/public/task-links/{token}', 'post /api/public/task-links/{token}/complete',
      'get /api/tasks/{id}/links', 'post /api/tasks/{id}/links', 'post /api/task-links/{id}/revoke',
      'get /api/openapi.json',
    ];
    const documented = Object.entries(res.body.paths).flatMap(([p, ops]) => Object.keys(ops as object).map((m) => `${m} ${p}`));
    expect(documented.sort()).toEqual(expected.sort());
    expect(res.body.components.schemas.StartProcessBody.required).toEqual(['definitionId', 'businessKey', 'variables']);
    expect(res.body.paths['/api/processes/{id}/history'].get.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'view', in: 'query', schema: expect.objectContaining({ enum: ['business', 'technical'], default: 'business' }) })]),
    );
  });
});
