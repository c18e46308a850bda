/**
 * Definitions written to hurt, run through the real API and a real worker: expressions over their
 * budget stop their step at a located incident while the rest of the instance, other instances, the
 * worker and the API go on; operators retry and cancel incidents (audited); loops without a wait are
 * refused at deploy, and the runtime stops the ones stored before that rule.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { hashDefinition } from '../../lib/definitions/hash';
import { loadDefinitionSource } from '../../lib/definitions/load';
import { deployDefinition } from '../../lib/definitions/store';
import { EXPRESSION_BUDGET } from '../../workflows/expressions';
import { syncTaskIncidents } from '../../lib/task-incidents';
import { MAX_STEPS_WITHOUT_WAIT } from '../../workflows/incidents';
import { eventually, expectError, startApiStack, type ApiStack } from '../support/api';
import { runCli, useCliEnvironment } from '../support/cli';
import { recordHistory } from '../support/histories';

const HOSTILE = path.join(__dirname, '../fixtures/hostile');
let stack: ApiStack;
let admin: string;
let sales: string;

beforeAll(async () => {
  stack = await startApiStack('hostile');
  admin = await stack.login('admin');
  sales = await stack.login('sales');
  for (const name of ['expression-bombs', 'fixable']) {
    const file = path.join(HOSTILE, `${name}.yaml`);
    await deployDefinition(stack.db, readFileSync(file, 'utf8'), file, 'test');
  }
});

afterAll(async () => {
  await stack?.close();
});

// After the stack's beforeAll (hooks run in order): CAUCE_TOKEN is the admin's session; the CLI's
// own token file goes to a throwaway folder.
useCliEnvironment(() => ({ CAUCE_TOKEN: admin }));

/** Stores a definition the way an old version (deployed before today's checks) would be stored. */
async function storeUnchecked(name: string, edit: (definition: any) => void = () => undefined): Promise<void> {
  const file = path.join(HOSTILE, `${name}.yaml`);
  const source = readFileSync(file, 'utf8');
  const definition = loadDefinitionSource(source, file).value as { id: string; name: string };
  edit(definition);
  await stack.db('definitions').insert({ id: definition.id, name: definition.name, latest_version: 1 });
  await stack.db('definition_versions').insert({
    definition_id: definition.id,
    version: 1,
    content_hash: hashDefinition(definition as never),
    source,
    file: `test/fixtures/hostile/${name}.yaml`,
    definition: JSON.stringify(definition),
    deployed_by: 'test',
  });
}

async function instanceStatus(id: string): Promise<string> {
  return (await stack.db('process_instances').where({ id }).first('status')).status;
}

async function auditCount(instanceId: string): Promise<number> {
  return Number((await stack.db('audit_events').where({ instance_id: instanceId }).count('* as n').first())!.n);
}

async function start(definitionId: string, businessKey: string, variables: Record<string, unknown> = {}): Promise<string> {
  const res = await stack.request('POST', '/api/processes', admin, { definitionId, businessKey, variables });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function openIncidents(processId: string, count: number): Promise<any[]> {
  const res = await eventually(
    () => stack.request('GET', `/api/incidents?processId=${processId}`, admin),
    (r) => r.status === 200 && r.body.items.length === count,
    `${count} open incident(s) of ${processId}`,
  );
  return res.body.items;
}

it('stops each over-budget expression at an incident naming its file, line and column; the rest goes on', async () => {
  const id = await start('expression-bombs', 'bombs-1');
  const incidents = await openIncidents(id, 4);
  const byStep = Object.fromEntries(incidents.map((i) => [i.stepId, i]));
  expect(Object.keys(byStep).sort()).toEqual(['allocate', 'mapAll', 'pad', 'recurse']);
  for (const incident of incidents) {
    expect(incident).toMatchObject({ type: 'ExpressionBudgetExceeded', status: 'open', source: 'step', definitionId: 'expression-bombs' });
  }
  expect(byStep.recurse.message).toContain(`more than ${EXPRESSION_BUDGET.steps} evaluation steps`);
  expect(byStep.allocate.message).toContain(`more than ${EXPRESSION_BUDGET.items} items`);
  expect(byStep.pad.message).toContain(`${EXPRESSION_BUDGET.stringLength}`);
  // `- { when: "( $f := …` on line 22: the column is inside the expression, past `when: "`.
  expect(byStep.recurse.location).toMatchObject({ path: '/steps/bombs/branches/0/steps/recurse/choices/0/when', file: 'test/fixtures/hostile/expression-bombs.yaml', line: 22 });
  expect(byStep.recurse.location.column).toBeGreaterThan(readFileSync(path.join(HOSTILE, 'expression-bombs.yaml'), 'utf8').split('\n')[21].indexOf('when'));
  expect(byStep.pad.location).toMatchObject({ path: '/steps/bombs/branches/3/steps/pad/input/subject', line: 49 });

  // The live state shows them; the healthy branch's task is in the inbox and can be completed.
  const detail = await stack.request('GET', `/api/processes/${id}`, admin);
  expect(detail.body.status).toBe('running');
  expect(detail.body.incidents.map((i: any) => i.stepId).sort()).toEqual(['allocate', 'mapAll', 'pad', 'recurse']);
  const [task] = (await eventually(() => stack.request('GET', `/api/tasks?processId=${id}`, sales), (r) => r.body.items?.length === 1, 'the healthy task')).body.items;
  expect((await stack.request('POST', `/api/tasks/${encodeURIComponent(task.id)}/complete`, sales, { outcome: 'done', data: {} })).status).toBe(200);
  expect((await stack.request('GET', '/healthz')).status).toBe(200);

  // Cancelling through the incident ends the instance and resolves every open incident, audited.
  expect((await stack.request('POST', `/api/incidents/${byStep.pad.id}/cancel`, admin, { reason: 'bad definition' })).status).toBe(202);
  const all = await eventually(
    () => stack.request('GET', `/api/incidents?processId=${id}&status=all`, admin),
    (r) => r.body.items.every((i: any) => i.status === 'resolved'),
    'incidents resolved by the cancel',
  );
  expect(all.body.items.map((i: any) => [i.status, i.resolution, i.resolvedBy])).toEqual(Array(4).fill(['resolved', 'cancelled', 'admin']));
  expect((await stack.db('process_instances').where({ id }).first()).status).toBe('cancelled');
  expect(await stack.db('audit_events').where({ instance_id: id, kind: 'incident.raised' })).toHaveLength(4);
  await recordHistory(await stack.handle(id), 'expression-bombs-cancelled');
});

it('retries a step after the data it reads was fixed; the retry is audited with its operator', async () => {
  const id = await start('fixable', 'fixable-1', { amount: 'twelve' });
  const [incident] = await openIncidents(id, 1);
  expect(incident).toMatchObject({ stepId: 'isPositive', type: 'ExpressionFailed' });
  // The author's condition, not the engine's `$boolean(…)` around it.
  expect(incident.message).toContain('expression "$number($type(amount)');
  expect(incident.message).not.toContain('$boolean');
  expect(incident.location).toMatchObject({ path: '/steps/both/branches/1/steps/isPositive/choices/0/when', line: 31 });

  // Operators see it from the CLI too, with where it is.
  const listed = await runCli(stack.baseUrl, 'incidents', '--process', id);
  expect(listed.code).toBe(0);
  expect(listed.out).toContain(incident.id);
  expect(listed.out).toContain('test/fixtures/hostile/fixable.yaml:31:');

  // Only operators act on incidents; a retry with the same data stops again at a new incident.
  expectError(await stack.request('POST', `/api/incidents/${incident.id}/retry`, sales), 403);
  expect((await stack.request('POST', `/api/incidents/${incident.id}/retry`, admin)).body).toMatchObject({ status: 'resolved', resolution: 'retried', resolvedBy: 'admin' });
  const [again] = await openIncidents(id, 1);
  expect(again.id).not.toBe(incident.id);
  expectError(await stack.request('POST', `/api/incidents/${incident.id}/retry`, admin), 409, 'incident_resolved');

  // The correction arrives; the retry now passes and the instance completes.
  expect((await stack.request('POST', `/api/processes/${id}/events/fix`, admin, { eventId: 'fix-1', payload: { value: '12' } })).status).toBe(202);
  await eventually(() => stack.request('GET', `/api/processes/${id}`, admin), (r) => r.body.stage === 'fixed', 'the correction taken');
  const retried = await runCli(stack.baseUrl, 'incident', 'retry', again.id);
  expect(retried).toMatchObject({ code: 0, out: `Retried ${again.id}: step isPositive of ${id} runs again` });
  await eventually(() => instanceStatus(id), (s) => s === 'completed', 'the fixed instance completed');
  const audited = await stack.db('audit_events').where({ instance_id: id, kind: 'incident.retried' });
  expect(audited.map((r) => r.actor)).toEqual(['admin', 'admin']);
  await recordHistory(await stack.handle(id), 'fixable-incident-retried');
});

it('refuses at deploy a loop with no wait, naming its steps', async () => {
  const source = readFileSync(path.join(HOSTILE, 'stage-loop.yaml'), 'utf8');
  const res = await fetch(`${stack.baseUrl}/api/definitions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/yaml' },
    body: source,
  });
  expect(res.status).toBe(422);
  expect(JSON.stringify(await res.json())).toContain("steps 's1' → 's2' → 's1' can repeat without waiting");
});

it('stops a stored loop that never waits at an incident, and cancel stops one that keeps writing', async () => {
  await storeUnchecked('spin');
  const spinning = await start('spin', 'spin-1');
  const [incident] = await openIncidents(spinning, 1);
  expect(incident).toMatchObject({ type: 'StepLoop', stepId: 'again' });
  expect(incident.message).toContain(`${MAX_STEPS_WITHOUT_WAIT} steps in a row`);

  await storeUnchecked('stage-loop');
  const looping = await start('stage-loop', 'loop-1');
  await eventually(() => auditCount(looping), (n) => n > 5, 'the loop writing');
  expect((await stack.request('POST', `/api/processes/${looping}/cancel`, admin, { reason: 'stop it' })).status).toBe(202);
  await eventually(() => instanceStatus(looping), (s) => s === 'cancelled', 'the loop cancelled');
  // Stopped for good: the workflow itself has closed, so no further step (and no write) can follow.
  const closed = await eventually(
    async () => (await stack.handle(looping)).describe(),
    (d) => d.status.name !== 'RUNNING',
    'the looping workflow to close',
  );
  expect(closed.status.name).toBe('COMPLETED');
  expect((await (await stack.handle(looping)).result()) as { status: string }).toMatchObject({ status: 'cancelled' });
});

it('refuses an event name the definition does not know, naming it', async () => {
  const id = await start('fixable', 'fixable-2', { amount: '3' });
  const res = await stack.request('POST', `/api/processes/${id}/events/fx`, admin, { eventId: 'e1' });
  expectError(res, 422, 'unknown_event');
  expect(res.body.error.details).toEqual([{ in: 'params', path: '/name', message: 'must be one of fix' }]);
});

it('opens an incident for a workflow task that keeps failing, and terminate ends it and frees its business key', async () => {
  // A step type no interpreter knows: the workflow task fails on it every time Temporal retries it.
  await storeUnchecked('spin', (d) => {
    d.id = 'broken-task';
    d.steps.again = { type: 'teleport', next: 'done' };
  });
  const id = await start('broken-task', 'broken-1');
  const incident = await eventually(
    async () => {
      await syncTaskIncidents(stack.db, stack.temporal, stack.config.temporal.taskQueue);
      return (await stack.request('GET', `/api/incidents?processId=${id}`, admin)).body.items[0];
    },
    (i) => i !== undefined,
    'Temporal to flag the failing workflow task',
    60_000,
  );
  expect(incident).toMatchObject({ source: 'workflow-task', type: 'WorkflowTaskFailing', status: 'open' });
  expect(incident.message).toContain('workflow task failed');
  expectError(await stack.request('POST', `/api/incidents/${incident.id}/retry`, admin), 409, 'retried_by_temporal');

  const done = await stack.request('POST', `/api/incidents/${incident.id}/terminate`, admin, { reason: 'broken definition' });
  expect(done.status).toBe(200);
  expect((await stack.db('process_instances').where({ id }).first()).status).toBe('terminated');
  expect((await stack.request('GET', `/api/incidents/${incident.id}`, admin)).body).toMatchObject({ status: 'resolved', resolution: 'terminated', resolvedBy: 'admin' });
  // The business key is free again.
  expect((await stack.request('POST', '/api/processes', admin, { definitionId: 'broken-task', businessKey: 'broken-1', variables: {} })).status).toBe(201);
});
