/**
 * Temporal owns an instance's identity: its workflow id is `<definitionId>/<businessKey>`, a second
 * running instance for the key is refused by Temporal's id conflict policy (409 naming the running one),
 * and once it ends the key starts a new instance with an id of its own, while the old one stays
 * readable as itself.
 */
import { randomUUID } from 'node:crypto';
import { eventually, startApiStack, type ApiStack } from '../support/api';

let stack: ApiStack;
let admin: string;
let example: Record<string, unknown>;
let definitionName: string;

beforeAll(async () => {
  stack = await startApiStack('business-key-ids');
  admin = await stack.login('admin');
  const { definition } = (await stack.request('GET', '/api/definitions/assisted-sale', admin)).body;
  example = definition.variables.examples[0];
  definitionName = definition.name;
});

afterAll(async () => {
  await stack?.close();
});

const start = (businessKey: string) => stack.request('POST', '/api/processes', admin, { definitionId: 'assisted-sale', businessKey, variables: example });

test('the workflow id comes from the business key, and the Temporal UI lists it with a summary', async () => {
  const key = `sale/${randomUUID()}`;
  const res = await start(key);
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ workflowId: `assisted-sale/${key.replace('/', '%2F')}`, status: 'running', businessKey: key });

  const description = await stack.temporal.workflow.getHandle(res.body.workflowId).describe();
  expect(description.runId).toBe(res.body.id);
  expect(await description.staticSummary()).toBe(`${definitionName} · ${key}`);
  // Answered once the first task is written: the inbox already has it.
  const tasks = await stack.request('GET', `/api/tasks?processId=${res.body.id}`, admin);
  expect(tasks.body.items.map((t: { stepId: string }) => t.stepId)).toEqual(['chooseTemplate']);
  const row = await stack.db('process_instances').where({ id: res.body.id }).first();
  expect(row).toMatchObject({ workflow_id: res.body.workflowId, status: 'running', business_key: key });
});

test('a second start for a running key is a 409 from Temporal naming the running instance, and writes nothing', async () => {
  const key = randomUUID();
  const first = await start(key);
  expect(first.status).toBe(201);
  const rowsBefore = await stack.db('process_instances').where({ business_key: key }).count<{ count: string }[]>({ count: '*' });

  const second = await start(key);
  expect(second.status).toBe(409);
  expect(second.body.error).toMatchObject({ code: 'duplicate_business_key', details: { definitionId: 'assisted-sale', businessKey: key, runningId: first.body.id } });
  expect(await stack.db('process_instances').where({ business_key: key }).count<{ count: string }[]>({ count: '*' })).toEqual(rowsBefore);
});

test('once the instance ended, the key starts a new one; each id keeps reading its own instance', async () => {
  const key = randomUUID();
  const first = await start(key);
  expect((await stack.request('POST', `/api/processes/${first.body.id}/cancel`, admin, { reason: 'replaced' })).status).toBe(202);
  await eventually(
    () => stack.request('GET', `/api/processes/${first.body.id}`, admin),
    (r) => r.body.status === 'cancelled',
    'the first instance cancelled',
  );
  // The instance's row says cancelled as the interpreter finishes, just before its workflow closes; the
  // key is free once Temporal has closed it.
  await eventually(
    () => stack.temporal.workflow.getHandle(first.body.workflowId, first.body.id).describe(),
    (d) => d.status.name !== 'RUNNING',
    'the first workflow closed',
  );

  const second = await start(key);
  expect(second.status).toBe(201);
  expect(second.body.workflowId).toBe(first.body.workflowId);
  expect(second.body.id).not.toBe(first.body.id);

  const [old, current] = await Promise.all([first, second].map((s) => stack.request('GET', `/api/processes/${s.body.id}`, admin)));
  // The workflow id's latest run is the new instance: the old one is read from its row, with its task withdrawn.
  expect(old.body).toMatchObject({ id: first.body.id, status: 'cancelled', live: false, tasks: [expect.objectContaining({ stepId: 'chooseTemplate', status: 'cancelled' })] });
  expect(current.body).toMatchObject({ id: second.body.id, status: 'running', live: true, currentSteps: ['chooseTemplate'] });

  // Each timeline is its own chain's: the old one ends cancelled, the new one has not ended.
  const kinds = (r: { body: { items: Array<{ kind: string }> } }) => r.body.items.map((e) => e.kind);
  const [oldTimeline, newTimeline] = await Promise.all([first, second].map((s) => stack.request('GET', `/api/processes/${s.body.id}/history?view=technical`, admin)));
  // Temporal's own events of each chain are its own: the old one's cancel request and end are there, not in the new one's.
  expect(kinds(oldTimeline)).toEqual(expect.arrayContaining(['cancel.requested', 'workflow.completed']));
  expect(kinds(newTimeline)).not.toContain('cancel.requested');
  expect(kinds(newTimeline)).not.toContain('workflow.completed');
  const unknownView = await stack.request('GET', `/api/processes/${second.body.id}/history?view=raw`, admin);
  expect(unknownView.status).toBe(400);
  expect(unknownView.body.error.details).toEqual([expect.objectContaining({ in: 'query', path: '/view', message: expect.stringContaining('business, technical') })]);
  expect(kinds(oldTimeline)).toContain('instance.cancelled');
  expect(kinds(newTimeline)).not.toContain('instance.cancelled');
  expect(kinds(newTimeline)).toContain('instance.started');
});
