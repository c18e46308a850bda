/**
 * The interpreter's bookkeeping (engine.* activities) runs as local activities in runs started since
 * the `local-bookkeeping` patch; business activities stay regular. On the time-skipping server with
 * real activities and Postgres: what the history holds, when a task completion is answered, and how a
 * bookkeeping write that fails ends (retried until it succeeds, or the instance fails as before).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ActivityFailure, ApplicationFailure, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { historyFromProto, type HistoryEventJson } from '../../api/processes/timeline';
import { deployDefinition } from '../../lib/definitions/store';
import { FEWER_PROMISES_PATCH } from '../../workflows/instance';
import { cancelSignal, completeTaskUpdate, eventSignal } from '../../workflows/messages';
import type { Actor, DefinitionVersion } from '../../workflows/model';
import { eventually } from '../support/eventually';
import { patchIds, recordHistory } from '../support/histories';
import { openTaskAt, startProcess } from '../support/processes';
import { useTimeSkippingStack } from '../support/time-skipping';

const stack = useTimeSkippingStack('localbk');
const FIXTURES = path.join(__dirname, '../fixtures/processes');
const ana: Actor = { username: 'ana', roles: ['sales'] };
let loop: DefinitionVersion;

beforeAll(async () => {
  const file = path.join(FIXTURES, 'review-loop.yaml');
  loop = (await deployDefinition(stack.database.db, readFileSync(file, 'utf8'), file, 'test')).version;
});

async function events(handle: WorkflowHandle): Promise<HistoryEventJson[]> {
  return historyFromProto(await handle.fetchHistory()).events;
}

const type = (e: HistoryEventJson) => e.eventType.replace('EVENT_TYPE_', '');
const activityNames = (history: HistoryEventJson[]) => history.filter((e) => type(e) === 'ACTIVITY_TASK_SCHEDULED').map((e) => e.activityTaskScheduledEventAttributes.activityType.name as string);
const markers = (history: HistoryEventJson[], name: string) => history.filter((e) => type(e) === 'MARKER_RECORDED' && e.markerRecordedEventAttributes.markerName === name);

function complete(handle: WorkflowHandle, taskId: string, outcome: string) {
  return handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, outcome, data: { note: 'looks good' }, actor: ana }] });
}

it('writes the bookkeeping as local activities and answers a completion in the workflow task that moves on', async () => {
  const handle = await startProcess(stack.env.client, stack.taskQueue, loop, 'local', { customer: 'Panadería La Espiga' });
  const first = await openTaskAt(handle, 'review');

  await complete(handle, first.id, 'again');
  // Answered once the next visit's task row is written: it is there when the answer arrives.
  const rows = await stack.database.db('tasks').where({ instance_id: handle.workflowId }).orderBy('created_at').select('id', 'status');
  expect(rows).toEqual([
    { id: first.id, status: 'completed' },
    { id: `${handle.workflowId}:review:2`, status: 'open' },
  ]);

  // The update was accepted and completed in one workflow task: no activity round trip in between.
  const history = await events(handle);
  const accepted = history.findIndex((e) => type(e) === 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
  const completed = history.findIndex((e) => type(e) === 'WORKFLOW_EXECUTION_UPDATE_COMPLETED');
  expect(accepted).toBeGreaterThan(0);
  expect(history.slice(accepted, completed).map(type)).not.toContain('WORKFLOW_TASK_COMPLETED');

  await complete(handle, `${handle.workflowId}:review:2`, 'done');
  await handle.signal(eventSignal, { name: 'payment', eventId: 'pay-1', payload: { amount: 100 } });
  expect((await handle.result()).outcome).toBe('paid');

  const done = await events(handle);
  expect(patchIds(done)).toEqual([FEWER_PROMISES_PATCH]);
  // recordStart, setStage, createTask ×2, completeTask ×2, audit (event), setStage, finishInstance.
  expect(markers(done, 'core_local_activity')).toHaveLength(9);
  expect(activityNames(done)).toEqual([]);
  expect(await stack.database.db('process_instances').where({ id: handle.workflowId }).first()).toMatchObject({ status: 'completed', outcome: 'paid', stage: 'paid' });
  // Recorded since the fewer-promises patch (review-loop-local-bookkeeping.json was recorded before it).
  await recordHistory(handle, 'review-loop-fewer-promises');
});

it('keeps business activities regular', async () => {
  const handle = await startProcess(stack.env.client, stack.taskQueue, loop, 'local-cancel', { customer: 'Farmacia Sol' });
  await openTaskAt(handle, 'review');
  await handle.signal(cancelSignal, { reason: 'test over', actor: 'test' });
  expect((await handle.result()).status).toBe('cancelled');
  expect(activityNames(await events(handle))).toEqual(['notifications.send']);
});

it('retries a bookkeeping write that keeps failing until it succeeds, then goes on', async () => {
  const db = stack.database.db;
  // A real outage of the tasks table: inserts fail while `task_outage` has a row; a sequence (never
  // rolled back) counts the attempts.
  await db.raw(`create table task_outage (since timestamptz not null default now())`);
  await db.raw(`create sequence task_insert_attempts`);
  await db.raw(`create function refuse_tasks() returns trigger language plpgsql as $$
    begin
      perform nextval('task_insert_attempts');
      if exists (select 1 from task_outage) then raise exception 'tasks table unavailable'; end if;
      return new;
    end $$`);
  await db.raw(`create trigger refuse_tasks before insert on tasks for each row execute function refuse_tasks()`);
  await db('task_outage').insert({});
  try {
    const handle = await startProcess(stack.env.client, stack.taskQueue, loop, 'outage', { customer: 'Kiosko Norte' });
    const attempts = () => db.raw(`select last_value, is_called from task_insert_attempts`).then((r) => (r.rows[0].is_called ? Number(r.rows[0].last_value) : 0));
    await eventually(attempts, (n) => n >= 2, 'createTask to be retried');
    expect(await db('tasks').where({ instance_id: handle.workflowId })).toEqual([]);

    await db('task_outage').del();
    const task = await openTaskAt(handle, 'review');
    await eventually(() => db('tasks').where({ id: task.id }).first(), (row) => row?.status === 'open', 'the task row once the outage is over');
    await complete(handle, task.id, 'done');
    await handle.signal(cancelSignal, { reason: 'test over', actor: 'test' });
    expect((await handle.result()).status).toBe('cancelled');
  } finally {
    await db.raw(`drop trigger refuse_tasks on tasks`);
    await db.raw(`drop function refuse_tasks`);
    await db.raw(`drop sequence task_insert_attempts`);
    await db.raw(`drop table task_outage`);
  }
});

it('fails the instance on a bookkeeping write that fails for good, as a regular activity did', async () => {
  const handle = await startProcess(stack.env.client, stack.taskQueue, loop, 'row-removed', { customer: 'Óptica Andina' });
  await openTaskAt(handle, 'review');
  // Its row is gone (removed by hand): closing it can never succeed, and engine.finishInstance says so.
  await stack.database.db('process_instances').where({ id: handle.workflowId }).delete();
  await handle.signal(cancelSignal, { reason: 'test over', actor: 'test' });

  const err = await handle.result().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const cause = (err as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ActivityFailure);
  expect((cause as ActivityFailure).activityType).toBe('engine.finishInstance');
  expect(cause?.cause).toBeInstanceOf(ApplicationFailure);
  expect((cause?.cause as ApplicationFailure).type).toBe('InstanceNotFound');
});

describe('an activity step declared `local: true`', () => {
  const yaml = `
id: local-notify
name: Local notifications
roles: [sales]
starters: [sales]
variables:
  type: object
  required: [email]
  properties:
    email: { type: string }
  examples:
    - { email: ana@panaderia.cl }
start: welcome
steps:
  welcome:
    type: activity
    activity: notifications.send
    local: true
    input: { channel: email, to: "=email", template: welcome, data: { business: Panadería Ana } }
    output: welcomed
    next: broken
  broken:
    type: activity
    activity: notifications.send
    local: true
    input: { channel: email, to: not-an-address, template: welcome, data: { business: Panadería Ana } }
    onError: { next: undelivered }
    next: delivered
  delivered: { type: end, outcome: delivered }
  undelivered: { type: end, outcome: undelivered }
`;

  it('runs in the workflow task (a marker, no activity task); failing for good, it takes onError as a regular one does', async () => {
    const { version } = await deployDefinition(stack.database.db, yaml, 'local-notify.yaml', 'test');
    const handle = await startProcess(stack.env.client, stack.taskQueue, version, 'local-notify', { email: 'ana@panaderia.cl' });
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'completed', outcome: 'undelivered' });
    expect(result.variables.welcomed).toMatchObject({ channel: 'email', to: 'ana@panaderia.cl', status: expect.any(String) });
    expect(result.variables.lastError).toMatchObject({ step: 'broken', activity: 'notifications.send', type: 'InvalidInput', message: expect.stringContaining('to') });

    const history = await events(handle);
    expect(activityNames(history)).toEqual([]);
    // recordStart, welcome, broken (one attempt: the failure is not retryable), finishInstance.
    expect(markers(history, 'core_local_activity')).toHaveLength(4);
    expect(await stack.database.db('outbox').where({ instance_id: handle.workflowId }).select('recipient')).toEqual([{ recipient: 'ana@panaderia.cl' }]);
  });
});
