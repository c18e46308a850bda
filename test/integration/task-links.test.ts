/**
 * Outside participants (issue 9 §3): a participant task e-mails a single-use link; the public routes show
 * that one task and complete it as the person's e-mail; used, revoked and expired links answer 410 with
 * their code; operators send new links and revoke them; every use is audited; the secret stays out of
 * the database (only its hash) and out of the request log. Real worker, Temporal and Postgres.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { Writable } from 'node:stream';
import { logger } from '../../api/logger';
import { logTransport } from '../../activities/outbox';
import { deployDefinition } from '../../lib/definitions/store';
import { hashLinkToken } from '../../lib/task-links/tokens';
import { eventually, expectError, startApiStack, type ApiStack, type Caller } from '../support/api';

const FIXTURE = path.join(__dirname, '../fixtures/processes/client-approval.yaml');
let stack: ApiStack;
let sales: Caller;
let admin: Caller;
let seq = 0;

beforeAll(async () => {
  stack = await startApiStack('links');
  await deployDefinition(stack.db, readFileSync(FIXTURE, 'utf8'), FIXTURE, 'test');
  sales = { username: 'sales', token: await stack.login('sales') };
  admin = { username: 'admin', token: await stack.login('admin') };
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

const publicGet = (token: string) => stack.request('GET', `/api/public/task-links/${token}`);
const publicComplete = (token: string, body: unknown) => stack.request('POST', `/api/public/task-links/${token}/complete`, undefined, body);

/** Starts a client approval; returns the instance, its task and the token of the link e-mailed for it (read from the outbox, as the mail relay would). */
async function start(vars: Record<string, unknown> = {}) {
  const n = ++seq;
  const email = `compras${n}@laespiga.cl`;
  const res = await stack.request('POST', '/api/processes', sales.token, {
    definitionId: 'client-approval',
    businessKey: `link-${n}`,
    variables: { client: { name: `Panadería ${n}`, email }, ...vars },
  });
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  const mail = await latestLinkMail(id, 1);
  const task = await stack.db('tasks').where({ instance_id: id }).first();
  return { id, email, task, token: tokenOf(mail), mail };
}

async function latestLinkMail(instanceId: string, count: number) {
  const rows = await eventually(
    () => stack.db('outbox').where({ instance_id: instanceId, template: 'task-link' }).orderBy('created_at', 'desc'),
    (r) => r.length >= count,
    `${count} task-link e-mail(s) of ${instanceId}`,
  );
  return rows[0];
}

const tokenOf = (mail: { payload: { linkUrl: string } }) => mail.payload.linkUrl.split('#')[1];

const auditOf = (taskId: string, kind: string) => stack.db('audit_events').where({ task_id: taskId, kind }).orderBy('at');

test('opening the task e-mails a link; only its hash is stored', async () => {
  const { id, email, task, token, mail } = await start();
  expect(mail).toMatchObject({ channel: 'email', recipient: email, language: 'es', status: expect.any(String) });
  expect(mail.payload).toEqual({ name: `Panadería ${seq}`, title: `Approve the proposal for Panadería ${seq}`, linkUrl: expect.stringMatching(/^http:\/\/[^/]+\/link#[A-Za-z0-9_-]{43}$/), expiresAt: expect.any(String) });
  // Seven days by default.
  const validFor = new Date(mail.payload.expiresAt).getTime() - new Date(task.created_at).getTime();
  expect(Math.abs(validFor - 7 * 86_400_000)).toBeLessThan(60_000);

  const links = await stack.db('task_links').where({ task_id: task.id });
  expect(links).toHaveLength(1);
  expect(links[0]).toMatchObject({ instance_id: id, email, token_hash: hashLinkToken(token), used_at: null, revoked_at: null, created_by: 'system' });
  expect(JSON.stringify(links[0])).not.toContain(token);
  // Nothing the workflow recorded holds the secret either (the activity returns the link's id only).
  const history = await (await stack.handle(id)).fetchHistory();
  expect(JSON.stringify(history)).not.toContain(token);
});

test('the public page shows that one task, and completing it records the e-mail as the actor, once', async () => {
  const { id, email, task, token } = await start();
  const page = await publicGet(token);
  expect(page.status).toBe(200);
  expect(page.body).toEqual({
    title: task.title,
    description: 'Read the proposal and tell us whether it is right.',
    form: expect.objectContaining({ required: ['comment'] }),
    outcomes: [{ name: 'approved', label: 'Approve' }, { name: 'changes', label: 'Ask for changes' }],
    expiresAt: expect.any(String),
  });
  // Nothing else of the instance: not its id, business key or variables.
  const text = JSON.stringify(page.body);
  for (const secret of [id, 'link-', email, task.id]) expect(text).not.toContain(secret);

  // Data the form refuses: 422, and the link stays usable.
  expectError(await publicComplete(token, { outcome: 'approved', data: { comment: '' } }), 422);
  expectError(await publicComplete(token, { outcome: 'nope', data: { comment: 'ok' } }), 422, 'UnknownOutcome');

  const done = await publicComplete(token, { outcome: 'approved', data: { comment: 'Todo bien' } });
  expect(done).toMatchObject({ status: 200, body: { completed: true, outcome: 'approved' } });
  expect(await stack.db('tasks').where({ id: task.id }).first()).toMatchObject({ status: 'completed', outcome: 'approved', completed_by: email });
  expect(await auditOf(task.id, 'task.completed')).toEqual([expect.objectContaining({ actor: email })]);
  expect(await auditOf(task.id, 'task.link.used')).toEqual([expect.objectContaining({ actor: email, details: expect.objectContaining({ outcome: 'approved' }) })]);
  expect((await auditOf(task.id, 'task.link.opened')).length).toBeGreaterThanOrEqual(1);
  await eventually(() => stack.request('GET', `/api/processes/${id}`, admin.token), (r) => r.body.status === 'completed' && r.body.outcome === 'approved', 'the instance approved');

  // Single use: the second time, on either route, it says so and offers nothing else.
  for (const res of [await publicComplete(token, { outcome: 'approved', data: { comment: 'again' } }), await publicGet(token)]) {
    expectError(res, 410, 'link_used');
    expect(res.body.error.details).toBeNull();
  }
  expect((await auditOf(task.id, 'task.link.refused')).map((a) => a.details.reason)).toEqual(['link_used', 'link_used']);
});

test('an operator sends a new link (to another address), which revokes the old one; a revoked link is 410 link_revoked', async () => {
  const { id, task, token } = await start();
  const sent = await stack.request('POST', `/api/tasks/${task.id}/links`, admin.token, { email: 'gerencia@laespiga.cl', expiresIn: '2d' });
  expect(sent).toMatchObject({ status: 201, body: { taskId: task.id, email: 'gerencia@laespiga.cl', status: 'active', createdBy: 'admin' } });
  expect(JSON.stringify(sent.body)).not.toMatch(/token|hash/i);
  const mail = await latestLinkMail(id, 2);
  expect(mail.recipient).toBe('gerencia@laespiga.cl');
  const fresh = tokenOf(mail);

  expectError(await publicGet(token), 410, 'link_revoked');
  expect((await publicGet(fresh)).status).toBe(200);

  const list = await stack.request('GET', `/api/tasks/${task.id}/links`, admin.token);
  expect(list.status).toBe(200);
  expect(list.body.items.map((l: any) => [l.email, l.status])).toEqual([['gerencia@laespiga.cl', 'active'], [expect.stringMatching(/@laespiga\.cl$/), 'revoked']]);
  expect(JSON.stringify(list.body)).not.toMatch(/token_hash|tokenHash/);

  const revoked = await stack.request('POST', `/api/task-links/${sent.body.id}/revoke`, admin.token);
  expect(revoked).toMatchObject({ status: 200, body: { id: sent.body.id, status: 'revoked' } });
  expectError(await publicComplete(fresh, { outcome: 'approved', data: { comment: 'ok' } }), 410, 'link_revoked');
  expect(await stack.db('tasks').where({ id: task.id }).first()).toMatchObject({ status: 'open' });
  expect(await auditOf(task.id, 'task.link.sent')).toEqual([expect.objectContaining({ actor: 'admin' })]);
  expect(await auditOf(task.id, 'task.link.revoked')).toEqual([expect.objectContaining({ actor: 'admin' })]);

  // Without an e-mail the new link goes to the latest link's address.
  const again = await stack.request('POST', `/api/tasks/${task.id}/links`, admin.token, {});
  expect(again).toMatchObject({ status: 201, body: { email: 'gerencia@laespiga.cl' } });
});

test('an expired link is 410 link_expired', async () => {
  const { task, token } = await start({ expiresIn: '1s' });
  await eventually(() => publicGet(token), (r) => r.status === 410, 'the link to expire');
  expectError(await publicGet(token), 410, 'link_expired');
  expectError(await publicComplete(token, { outcome: 'approved', data: { comment: 'late' } }), 410, 'link_expired');
  expect(await stack.db('tasks').where({ id: task.id }).first()).toMatchObject({ status: 'open' });
});

test('a wrong token is 404; a task closed some other way is 410 task_closed', async () => {
  expectError(await publicGet('A'.repeat(43)), 404, 'link_not_found');
  expectError(await publicGet('not-a-token'), 404, 'link_not_found');
  expectError(await publicComplete('A'.repeat(43), { outcome: 'approved' }), 404, 'link_not_found');

  // Staff completed it from the inbox: the link has nothing left to open.
  const { task, token } = await start();
  const res = await stack.request('POST', `/api/tasks/${task.id}/complete`, sales.token, { outcome: 'changes', data: { comment: 'Por teléfono' } });
  expect(res.status).toBe(200);
  expectError(await publicGet(token), 410, 'task_closed');
});

test('operators only: sending or revoking a link of a closed or unknown task is refused with its reason', async () => {
  expectError(await stack.request('POST', '/api/tasks/nope/links', admin.token, { email: 'a@b.cl' }), 404);
  expectError(await stack.request('POST', '/api/task-links/00000000-0000-4000-8000-000000000000/revoke', admin.token), 404);
  expectError(await stack.request('GET', '/api/tasks/nope/links', sales.token), 403);
});

test("the link's secret never reaches the logs: the request log redacts it, the log transport too", async () => {
  const lines: string[] = [];
  const sink = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) }));
  const child = jest.spyOn(logger, 'child').mockImplementation((bindings) => sink.child(bindings));
  try {
    const { token, task } = await start();
    expect((await publicGet(token)).status).toBe(200);
    expect((await publicComplete(token, { outcome: 'approved', data: { comment: 'ok' } })).status).toBe(200);
    expectError(await publicGet(token), 410, 'link_used');
    const logged = lines.join('');
    expect(logged).toContain('/api/public/task-links/[redacted]/complete');
    expect(logged).not.toContain(token);

    const mail = await stack.db('outbox').where({ template: 'task-link' }).orderBy('created_at', 'desc').first();
    lines.length = 0;
    await logTransport(sink).send({ id: mail.id, channel: 'email', recipient: mail.recipient, template: mail.template, language: mail.language, payload: mail.payload, attachments: [] });
    expect(lines.join('')).toContain('"linkUrl":"[redacted]"');
    expect(lines.join('')).not.toContain(tokenOf(mail));
    expect(task.id).toBeDefined();
  } finally {
    child.mockRestore();
  }
});
