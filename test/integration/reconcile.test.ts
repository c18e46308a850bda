/**
 * One truth for status: instances terminated in Temporal behind Cauce's back (as `temporal workflow
 * terminate` does) follow in Postgres — status `terminated`, open tasks withdrawn, business key free —
 * through `cauce reconcile` and, within seconds, through the worker's periodic reconcile workflow.
 * Real app, real worker, dev server, Postgres.
 */
import { getDefinitionVersion } from '../../lib/definitions/store';
import { reconcileAll, reconcileClosedSince } from '../../lib/reconcile';
import { INTERPRETER_WORKFLOW, type InterpreterInput } from '../../workflows/messages';
import { ensureReconcileJob, reconcileJobId } from '../../lib/reconcile-job';
import { eventually, expectError, inboxTask, startApiStack, type ApiStack } from '../support/api';
import { runCli, useCliEnvironment } from '../support/cli';

let stack: ApiStack;
let admin: string;
let example: Record<string, unknown>;
let started = 0;

beforeAll(async () => {
  stack = await startApiStack('reconcile');
  admin = await stack.login('admin');
  example = (await stack.request('GET', '/api/definitions/trial-lifecycle', admin)).body.definition.variables.examples[0];
});

afterAll(async () => {
  await stack?.temporal.workflow.getHandle(reconcileJobId(stack.config.temporal.taskQueue)).terminate('test over').catch(() => undefined);
  await stack?.close();
});

/** A trial with its first task open in the inbox. */
async function startTrial(businessKey = `reconcile-${++started}`): Promise<{ id: string; businessKey: string; taskId: string }> {
  const res = await stack.request('POST', '/api/processes', admin, {
    definitionId: 'trial-lifecycle',
    businessKey,
    variables: { ...example, email: `reconcile-${++started}@panaderia.cl` },
  });
  expect(res.status).toBe(201);
  const task = await inboxTask(stack, { username: 'admin', token: admin }, res.body.id, 'firstContact');
  return { id: res.body.id, businessKey, taskId: task.id };
}

async function expectFollowedTemporal(trial: { id: string; businessKey: string; taskId: string }, reason: string): Promise<void> {
  const row = await stack.db('process_instances').where({ id: trial.id }).first();
  expect(row).toMatchObject({ status: 'terminated', end_reason: reason });
  expect(await stack.db('tasks').where({ id: trial.taskId }).first()).toMatchObject({ status: 'cancelled', cancel_reason: reason });
  const inbox = await stack.request('GET', `/api/tasks?processId=${trial.id}`, admin);
  expect(inbox.body.items).toEqual([]);
  // The API's view too, though the workflow's last state (still answering queries) said running.
  const detail = await stack.request('GET', `/api/processes/${trial.id}`, admin);
  expect(detail.body).toMatchObject({ status: 'terminated', endReason: reason, tasks: [], currentSteps: [] });
  const kinds = (await stack.db('audit_events').where({ instance_id: trial.id }).pluck('kind')) as string[];
  expect(kinds).toEqual(expect.arrayContaining(['instance.terminated', 'task.cancelled']));
  // The business key is free again.
  const again = await stack.request('POST', '/api/processes', admin, {
    definitionId: 'trial-lifecycle',
    businessKey: trial.businessKey,
    variables: { ...example, email: `reconcile-again-${++started}@panaderia.cl` },
  });
  expect(again.status).toBe(201);
}

describe('cauce reconcile', () => {
  useCliEnvironment(() => ({ CAUCE_TOKEN: admin }));

  it('closes an instance terminated in Temporal, withdraws its task, frees its key, and reports the change', async () => {
    const trial = await startTrial();
    const untouched = await startTrial();
    await (await stack.handle(trial.id)).terminate('stuck: terminated by an operator');

    const run = await runCli(stack.baseUrl, 'reconcile');
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out).toMatch(/Compared \d+ running instance\(s\) with Temporal: 1 changed, 0 without a workflow, 0 error\(s\)/);
    expect(run.out).toMatch(new RegExp(`${trial.id}\\s+trial-lifecycle\\s+${trial.businessKey}\\s+TERMINATED\\s+terminated\\s+1\\s+stuck: terminated by an operator`));
    await expectFollowedTemporal(trial, 'stuck: terminated by an operator');
    expect((await stack.db('process_instances').where({ id: untouched.id }).first()).status).toBe('running');

    // Nothing left to repair: a second run changes nothing.
    const json = await runCli(stack.baseUrl, '--json', 'reconcile');
    expect(JSON.parse(json.out)).toMatchObject({ changed: [], missing: [], errors: [] });
  });

  it('is for admins only', async () => {
    const sales = await stack.login('sales');
    expectError(await stack.request('POST', '/api/admin/reconcile', sales, {}), 403);
  });
});

describe('a workflow execution timeout', () => {
  it('gives the instance the status timed_out and withdraws its task', async () => {
    const definition = (await getDefinitionVersion(stack.db, 'trial-lifecycle'))!;
    const id = `reconcile-timeout-${++started}`;
    const input: InterpreterInput = {
      instanceId: id,
      definition,
      businessKey: id,
      variables: { ...example, email: `${id}@panaderia.cl` },
      startedBy: 'test',
      options: { searchAttributes: false },
    };
    // Not something Cauce sets: a client of the same Temporal can, and Temporal then closes the run by itself.
    await stack.temporal.workflow.start(INTERPRETER_WORKFLOW, { taskQueue: stack.config.temporal.taskQueue, workflowId: id, args: [input], workflowExecutionTimeout: '6s' });
    const task = await inboxTask(stack, { username: 'admin', token: admin }, id, 'firstContact');
    const report = await eventually(() => reconcileAll(stack.db, stack.temporal), (r) => r.changed.some((c) => c.id === id), 'Temporal to time the workflow out');
    expect(report.changed.find((c) => c.id === id)).toMatchObject({ temporalStatus: 'TIMED_OUT', status: 'timed_out', cancelledTasks: [task.id] });
    expect(await stack.db('process_instances').where({ id }).first()).toMatchObject({ status: 'timed_out' });
    expect(await stack.db('tasks').where({ id: task.id }).first()).toMatchObject({ status: 'cancelled' });
  });
});

describe('the periodic reconcile workflow', () => {
  it("finds a terminated instance through Temporal's visibility of recently closed workflows (its rounds after the first)", async () => {
    const trial = await startTrial();
    const before = new Date(Date.now() - 1_000);
    await (await stack.handle(trial.id)).terminate('timed out by hand');
    const report = await eventually(
      () => reconcileClosedSince(stack.db, stack.temporal, before, stack.config.temporal.taskQueue, { actor: 'reconcile' }),
      (r) => r.changed.length > 0,
      'visibility to list the terminated workflow',
    );
    expect(report.changed).toEqual([expect.objectContaining({ id: trial.id, temporalStatus: 'TERMINATED', status: 'terminated', reason: 'timed out by hand', cancelledTasks: [trial.taskId] })]);
    await expectFollowedTemporal(trial, 'timed out by hand');
  });

  it('makes a terminated instance follow within seconds, without anyone asking', async () => {
    await ensureReconcileJob(stack.temporal, stack.config, { intervalMs: 1_000 });
    const trial = await startTrial();
    await (await stack.handle(trial.id)).terminate('terminated in the Temporal UI');
    await eventually(
      async () => (await stack.db('process_instances').where({ id: trial.id }).first()).status,
      (status) => status === 'terminated',
      'the row to follow Temporal',
      15_000,
    );
    await expectFollowedTemporal(trial, 'terminated in the Temporal UI');
    const audit = await stack.db('audit_events').where({ instance_id: trial.id, kind: 'instance.terminated' }).first();
    expect(audit).toMatchObject({ actor: 'reconcile', details: expect.objectContaining({ reconciled: true, temporalStatus: 'TERMINATED' }) });
  });
});
