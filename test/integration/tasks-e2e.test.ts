/**
 * Tasks and events through the HTTP API against a running trial-lifecycle (real app, real worker,
 * dev server, Postgres): concurrent completions, the refusals and their statuses, claim/release,
 * idempotent events, and the transport-level errors.
 */
import { eventually, expectError, inboxTask, startApiStack, type ApiStack } from '../support/api';

let stack: ApiStack;
const tokens: Record<string, string> = {};
let example: Record<string, any>;
let started = 0;

const OUTCOMES = ['contacted', 'notInterested', 'unreachable'];
const CONTACT = { medium: 'phone', crmChecked: true, proposalSent: false, notes: 'Llamada de bienvenida.' };

beforeAll(async () => {
  stack = await startApiStack('tasks-e2e');
  await stack.addUser('sofia', ['sales']);
  for (const user of ['admin', 'sales', 'dcs', 'sofia', 'billing']) tokens[user] = await stack.login(user);
  example = (await stack.request('GET', '/api/definitions/trial-lifecycle', tokens.admin)).body.definition.variables.examples[0];
});

afterAll(async () => {
  // Instances left running (waiting for a payment) are stopped with the worker; the dev server forgets them.
  await stack?.close();
});

/** Starts a trial (each with its own account email) and returns its id and its follow-up task. */
async function startTrial(): Promise<{ id: string; task: any }> {
  const n = ++started;
  const res = await stack.request('POST', '/api/processes', tokens.admin, {
    definitionId: 'trial-lifecycle',
    businessKey: `tasks-e2e-${n}`,
    variables: { ...example, email: `trial-${n}@panaderia.cl` },
  });
  expect(res.status).toBe(201);
  const id: string = res.body.id;
  return { id, task: await inboxTask(stack, { username: 'sales', token: tokens.sales }, id, 'firstContact') };
}

const complete = (user: string, taskId: string, outcome = 'contacted', data: unknown = CONTACT) =>
  stack.request('POST', `/api/tasks/${taskId}/complete`, tokens[user], { outcome, data });
const claim = (user: string, taskId: string) => stack.request('POST', `/api/tasks/${taskId}/claim`, tokens[user]);
const release = (user: string, taskId: string) => stack.request('POST', `/api/tasks/${taskId}/release`, tokens[user]);

describe('completing tasks', () => {
  test.each(Array.from({ length: Number(process.env.RACES ?? 3) }, (_, i) => i + 1))('two people completing the same task at once: exactly one wins, the other gets 409 (race %i)', async () => {
    const { task } = await startTrial();
    const results = await Promise.all([complete('sales', task.id, 'contacted'), complete('dcs', task.id, 'notInterested', { medium: 'email', crmChecked: true })]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!;
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.body.error.code).toBe('TaskNotOpen');

    const row = await stack.db('tasks').where({ id: task.id }).first();
    expect(row).toMatchObject({ status: 'completed', outcome: winner.body.outcome, completed_by: winner.body.completedBy });
    expect(await stack.db('audit_events').where({ task_id: task.id, kind: 'task.completed' })).toHaveLength(1);

    // And once it is done, completing again is 409 too.
    expectError(await complete('sales', task.id), 409, 'TaskNotOpen');
    const shown = await stack.request('GET', `/api/tasks/${task.id}`, tokens.sales);
    expect(shown.body).toMatchObject({ status: 'completed', completedBy: winner.body.completedBy });
  });

  test('an undeclared outcome is 422 listing the allowed ones; data not matching the form is 422 with the JSON path', async () => {
    const { task } = await startTrial();
    const outcome = await complete('sales', task.id, 'won');
    expectError(outcome, 422, 'UnknownOutcome');
    // In the order the YAML declares them (definitions are stored as json, which keeps key order).
    expect(outcome.body.error.details.outcomes).toEqual(OUTCOMES);

    const data = await complete('sales', task.id, 'contacted', { medium: 'pigeon', crmChecked: true });
    expectError(data, 422, 'InvalidFormData');
    expect(data.body.error.details.problems).toEqual([expect.objectContaining({ path: '/medium', message: expect.any(String) })]);

    const missing = await complete('sales', task.id, 'contacted', { medium: 'phone', notes: 'x'.repeat(2001) });
    expectError(missing, 422, 'InvalidFormData');
    expect(missing.body.error.details.problems.map((p: any) => p.path).sort()).toEqual(['/', '/notes'].sort());
    expect(JSON.stringify(missing.body.error.details.problems)).toContain('crmChecked');

    // Nothing was recorded; the task is still open and can be completed properly.
    expect(await stack.db('tasks').where({ id: task.id }).first('status')).toEqual({ status: 'open' });
    expect((await complete('sales', task.id)).status).toBe(200);
  });

  test('a user without a candidate role is told the task does not exist (404), like an unknown task', async () => {
    const { task } = await startTrial();
    expectError(await claim('billing', task.id), 404, 'TaskNotFound');
    expectError(await complete('billing', task.id), 404, 'TaskNotFound');
    expectError(await release('billing', task.id), 404, 'TaskNotFound');
    expectError(await stack.request('GET', `/api/tasks/${task.id}`, tokens.billing), 404, 'TaskNotFound');
    // Nor does the task show in their inbox.
    const inbox = await stack.request('GET', `/api/tasks?processId=${task.processId}`, tokens.billing);
    expect(inbox.body.items).toEqual([]);
    expect(await stack.db('tasks').where({ id: task.id }).first('status', 'assignee')).toEqual({ status: 'open', assignee: null });

    expectError(await stack.request('GET', '/api/tasks/no-such-task', tokens.sales), 404, 'TaskNotFound');
    expectError(await complete('sales', 'no-such-task'), 404, 'TaskNotFound');
    expectError(await claim('sales', 'no-such-task'), 404, 'TaskNotFound');
  });

  test('a task claimed by A cannot be completed or claimed by B, but A can complete it', async () => {
    const { task } = await startTrial();
    const claimed = await claim('sales', task.id);
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ id: task.id, assignee: 'sales' });
    expect(await stack.db('tasks').where({ id: task.id }).first('assignee')).toEqual({ assignee: 'sales' });

    expectError(await complete('sofia', task.id), 409, 'ClaimedByOther');
    expectError(await claim('sofia', task.id), 409, 'ClaimedByOther');
    expectError(await release('sofia', task.id), 409, 'ClaimedByOther');

    const done = await complete('sales', task.id);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ taskId: task.id, outcome: 'contacted', completedBy: 'sales' });
  });

  test('after A releases the task, B can claim and complete it and A no longer can', async () => {
    const { task } = await startTrial();
    expect((await claim('sales', task.id)).status).toBe(200);
    const released = await release('sales', task.id);
    expect(released.status).toBe(200);
    expect(released.body.assignee).toBeNull();
    expect(await stack.db('tasks').where({ id: task.id }).first('assignee')).toEqual({ assignee: null });
    // Releasing a task nobody holds is a conflict, not a silent success.
    expectError(await release('sales', task.id), 409);

    expect((await claim('sofia', task.id)).status).toBe(200);
    expectError(await complete('sales', task.id), 409, 'ClaimedByOther');
    expect((await complete('sofia', task.id)).status).toBe(200);

    const audit = await stack.db('audit_events').where({ task_id: task.id }).orderBy('id').select('kind', 'actor');
    expect(audit).toEqual([
      { kind: 'task.created', actor: null },
      { kind: 'task.claimed', actor: 'sales' },
      { kind: 'task.released', actor: 'sales' },
      { kind: 'task.claimed', actor: 'sofia' },
      { kind: 'task.completed', actor: 'sofia' },
    ].map((e) => expect.objectContaining({ kind: e.kind, ...(e.actor ? { actor: e.actor } : {}) })));
  });
});

describe('events', () => {
  test('a payment delivered twice with the same idempotency id is recorded once; the trial converts', async () => {
    const { id, task } = await startTrial();
    await eventually(
      () => stack.request('GET', `/api/processes/${id}`, tokens.admin),
      (r) => r.body.currentSteps?.includes('awaitFirstReminder'),
      'the trial to wait for its payment',
    );
    const payment = { amount: 29990, currency: 'CLP', method: 'webpay', transactionId: 'WP-000123' };
    const [first, second] = await Promise.all([
      stack.request('POST', `/api/processes/${id}/events/payment`, tokens.admin, { eventId: 'pay-123', payload: payment }),
      stack.request('POST', `/api/processes/${id}/events/payment`, tokens.admin, { payload: payment }, { headers: { 'idempotency-key': 'pay-123' } }),
    ]);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ accepted: true, id, eventId: 'pay-123' });
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({ accepted: true, id, eventId: 'pay-123' });
    // A third, later delivery (a webhook retry) is accepted and ignored as well.
    expect((await stack.request('POST', `/api/processes/${id}/events/payment`, tokens.admin, { eventId: 'pay-123', payload: payment })).status).toBe(202);

    await eventually(
      () => stack.request('GET', `/api/processes/${id}`, tokens.admin),
      (r) => r.body.stage === 'paid-account',
      'the account to be paid',
    );
    const payments = await stack.db('payments').where({ instance_id: id });
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ currency: 'CLP', method: 'webpay', external_reference: 'WP-000123' });
    expect(Number(payments[0].amount)).toBe(29990);

    // The follow-up branch still holds the instance open until sales completes it.
    expect((await stack.db('process_instances').where({ id }).first('status')).status).toBe('running');
    expect((await complete('sales', task.id)).status).toBe(200);
    const row = await eventually(() => stack.db('process_instances').where({ id }).first(), (r) => r.status !== 'running', 'the instance to end');
    expect(row).toMatchObject({ status: 'completed', outcome: 'converted', stage: 'paid-account' });
    expect(await stack.db('payments').where({ instance_id: id })).toHaveLength(1);
    const received = await stack.db('audit_events').where({ instance_id: id, kind: 'event.received' });
    expect(received).toHaveLength(1);

    // The instance is over: further events are refused.
    expectError(await stack.request('POST', `/api/processes/${id}/events/payment`, tokens.admin, { eventId: 'pay-124', payload: payment }), 409, 'not_running');
  });

  test('an event without an id is 400, for an unknown process 404', async () => {
    const { id } = await startTrial();
    expectError(await stack.request('POST', `/api/processes/${id}/events/payment`, tokens.admin, { payload: {} }), 400, 'missing_event_id');
    expectError(await stack.request('POST', '/api/processes/00000000-0000-0000-0000-000000000000/events/payment', tokens.admin, { eventId: 'e1' }), 404, 'not_found');
  });
});

describe('transport', () => {
  test('a malformed JSON body is 400; a missing or bad token is 401', async () => {
    const { task } = await startTrial();
    expectError(await stack.request('POST', `/api/tasks/${task.id}/complete`, tokens.sales, undefined, { raw: '{"outcome": "contacted",' }), 400, 'malformed_json');
    expectError(await stack.request('POST', `/api/tasks/${task.id}/complete`, undefined, { outcome: 'contacted', data: CONTACT }), 401, 'unauthorized');
    expectError(await stack.request('GET', '/api/tasks', undefined), 401, 'unauthorized');
    expectError(await stack.request('GET', '/api/tasks', 'not-a-token'), 401, 'unauthorized');
    expect(await stack.db('tasks').where({ id: task.id }).first('status')).toEqual({ status: 'open' });
  });
});
