/**
 * The interpreter's contract, on the time-skipping server with real activities and Postgres:
 * task updates and their validators, concurrent completions, event deduplication, continue-as-new, cancellation.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WorkflowUpdateFailedError, WorkflowUpdateStage, type WorkflowHandle } from '@temporalio/client';
import { deployDefinition } from '../../lib/definitions/store';
import { cancelSignal, claimTaskUpdate, completeTaskUpdate, deliverEventUpdate, EventErrors, eventSignal, stateQuery, TaskErrors } from '../../workflows/messages';
import type { Actor, DefinitionVersion } from '../../workflows/model';
import { eventually } from '../support/eventually';
import { openTaskAt, startProcess, waitForState } from '../support/processes';
import { recordHistory } from '../support/histories';
import { useTimeSkippingStack } from '../support/time-skipping';

const stack = useTimeSkippingStack('interp');
let loop: DefinitionVersion;
const ana: Actor = { username: 'ana', roles: ['sales'] };
const beto: Actor = { username: 'beto', roles: ['sales'] };
const FIXTURE = path.join(__dirname, '../fixtures/processes/review-loop.yaml');

beforeAll(async () => {
  loop = (await deployDefinition(stack.database.db, readFileSync(FIXTURE, 'utf8'), FIXTURE, 'test')).version;
});

async function rejection(promise: Promise<unknown>): Promise<{ type?: string; message?: string; details?: unknown[] }> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause as { type?: string; message?: string; details?: unknown[] };
  return { type: cause.type, message: cause.message, details: cause.details };
}

function complete(handle: WorkflowHandle, taskId: string, outcome: string, actor: Actor, data: Record<string, unknown> = { note: 'looks good' }) {
  return handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, outcome, data, actor }] });
}

it('rejects completions that name an unknown task or outcome, bad form data, or a caller without the role', async () => {
  const handle = await startProcess(stack.env.client, stack.taskQueue, loop, 'validators', { customer: 'Ferretería Sur' });
  const task = await openTaskAt(handle, 'review');

  expect(await rejection(complete(handle, 'nope', 'done', ana))).toMatchObject({ type: TaskErrors.notFound });
  expect(await rejection(complete(handle, task.id, 'approve', ana))).toMatchObject({
    type: TaskErrors.unknownOutcome,
    message: 'outcome "approve" is not one of again, done',
  });
  const invalid = await rejection(complete(handle, task.id, 'done', ana, { note: 'x' }));
  expect(invalid.type).toBe(TaskErrors.invalidData);
  expect(JSON.stringify(invalid.details)).toContain('/note');
  // A caller who may not see the task (no candidate role, not its assignee) is told it does not exist, as by the API.
  expect(await rejection(complete(handle, task.id, 'done', { username: 'carla', roles: ['billing'] }))).toMatchObject({
    type: TaskErrors.notFound,
  });

  await handle.executeUpdate(claimTaskUpdate, { args: [{ taskId: task.id, actor: ana }] });
  expect(await rejection(complete(handle, task.id, 'done', beto))).toMatchObject({ type: TaskErrors.claimedByOther });
  expect((await stack.database.db('tasks').where({ id: task.id }).first()).assignee).toBe('ana');

  await complete(handle, task.id, 'done', ana);
  expect(await rejection(complete(handle, task.id, 'done', ana))).toMatchObject({ type: TaskErrors.notOpen });
  await handle.signal(cancelSignal, { reason: 'test over', actor: 'test' });
  await handle.result();
});

it('lets exactly one of two concurrent completions win', async () => {
  const handle = await startProcess(stack.env.client, stack.taskQueue, loop, 'race', { customer: 'Botillería Norte' });
  const task = await openTaskAt(handle, 'review');

  const results = await Promise.allSettled([complete(handle, task.id, 'done', ana), complete(handle, task.id, 'again', beto)]);

  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
  expect((lost.reason as WorkflowUpdateFailedError).cause).toMatchObject({ type: TaskErrors.notOpen });
  const row = await stack.database.db('tasks').where({ id: task.id }).first();
  expect(row.status).toBe('completed');
  expect(await stack.database.db('audit_events').where({ task_id: task.id, kind: 'task.completed' })).toHaveLength(1);
  await handle.signal(cancelSignal, { reason: 'test over', actor: 'test' });
  await handle.result();
  await recordHistory(handle, 'review-loop-race');
});

it('ignores a repeated event id, and keeps an event that arrives before its wait step', async () => {
  const handle = await startProcess(stack.env.client, stack.taskQueue, loop, 'events', { customer: 'Librería Central' });
  const task = await openTaskAt(handle, 'review');
  const payment = { name: 'payment', eventId: 'pay-1', payload: { amount: 100 } };
  await handle.signal(eventSignal, payment); // before the wait step: buffered
  await handle.signal(eventSignal, payment);
  await handle.signal(eventSignal, { ...payment, eventId: 'pay-2', payload: { amount: 999 } });

  await complete(handle, task.id, 'done', ana);
  const result = await handle.result();

  expect(result.outcome).toBe('paid');
  await recordHistory(handle, 'review-loop-events');
  expect(result.variables.payment).toEqual({ amount: 100, eventId: 'pay-1' });
  expect(await stack.database.db('audit_events').where({ instance_id: handle.workflowId, kind: 'event.received' })).toHaveLength(1);
});

it('shows kept events in the state, refuses a second delivery of the same event while one is kept, and drops what no step can take', async () => {
  const handle = await startProcess(stack.env.client, stack.taskQueue, loop, 'kept', { customer: 'Almacén Sur' });
  const task = await openTaskAt(handle, 'review');
  await handle.signal(eventSignal, { name: 'payment', eventId: 'pay-a', payload: { amount: 100 } });
  await handle.signal(eventSignal, { name: 'payment', eventId: 'pay-c', payload: { amount: 300 } });
  const kept = await waitForState(handle, (s) => (s.parkedEvents ?? []).length === 2);
  expect(kept.parkedEvents!.map((e) => e.eventId)).toEqual(['pay-a', 'pay-c']);
  expect(kept.parkedEvents![0].receivedAt).toEqual(expect.any(String));

  // A delivery that must be answered is refused at once while another payment waits to be taken.
  const second = await rejection(handle.executeUpdate(deliverEventUpdate, { args: [{ name: 'payment', eventId: 'pay-b' }] }));
  expect(second).toMatchObject({ type: EventErrors.inFlight, details: [{ eventId: 'pay-a' }] });

  await complete(handle, task.id, 'done', ana);
  const result = await handle.result();
  expect(result.variables.payment).toMatchObject({ amount: 100, eventId: 'pay-a' });
  // pay-c could only have been taken by awaitPayment, which is behind the process now: dropped.
  expect((await handle.query(stateQuery)).parkedEvents).toEqual([]);
});

it('answers an event delivered by update once a step has taken it; refuses one no step ahead takes', async () => {
  const handle = await startProcess(stack.env.client, stack.taskQueue, loop, 'deliver', { customer: 'Ferretería Sur' });
  const task = await openTaskAt(handle, 'review');
  const unknown = await rejection(handle.executeUpdate(deliverEventUpdate, { args: [{ name: 'refund', eventId: 'r-1' }] }));
  expect(unknown).toMatchObject({ type: EventErrors.notAwaited, details: [{ currentSteps: ['review'] }] });

  // The payment arrives before its wait step: the update answers only when awaitPayment has taken it.
  const payment = { name: 'payment', eventId: 'pay-now', payload: { amount: 100 }, actor: 'integration' };
  let answered = false;
  const delivered = handle.executeUpdate(deliverEventUpdate, { args: [payment] }).then((r) => ((answered = true), r));
  await waitForState(handle, (s) => s.trail.length > 0 && s.currentSteps.includes('review'));
  expect(answered).toBe(false);
  // A repeat of the kept event waits for the same outcome. (Once awaitPayment has taken it, the process
  // ends in that same workflow task: a repeat sent after the answer would find it closed.)
  const repeated = await handle.startUpdate(deliverEventUpdate, { args: [payment], waitForStage: WorkflowUpdateStage.ACCEPTED });
  await complete(handle, task.id, 'done', ana);
  expect(await delivered).toEqual({ eventId: 'pay-now', duplicate: false });
  expect(await repeated.result()).toEqual({ eventId: 'pay-now', duplicate: true });

  const result = await handle.result();
  expect(result.outcome).toBe('paid');
  expect(result.variables.payment).toEqual({ amount: 100, eventId: 'pay-now', sentBy: 'integration' });
  expect(await stack.database.db('audit_events').where({ instance_id: handle.workflowId, kind: 'event.received' })).toHaveLength(1);
});

it('refuses an event delivered by update when the process ends without taking it', async () => {
  const handle = await startProcess(stack.env.client, stack.taskQueue, loop, 'deliver-cancel', { customer: 'Kiosko Norte' });
  await openTaskAt(handle, 'review');
  const delivered = handle.executeUpdate(deliverEventUpdate, { args: [{ name: 'payment', eventId: 'pay-late', payload: { amount: 5 } }] });
  await handle.signal(cancelSignal, { reason: 'customer left', actor: 'ana' });
  const refused = await rejection(delivered);
  expect(refused.type).toBe(EventErrors.notAwaited);
  expect((await handle.result()).status).toBe('cancelled');
});

it('continues as new when the history grows, keeping variables, stage and the open task', async () => {
  const handle = await startProcess(stack.env.client, stack.taskQueue, loop, 'long', { customer: 'Ópticas Andinas' }, {
    searchAttributes: false,
    continueAsNewAfterEvents: 60,
  });
  for (let i = 0; i < 15; i++) {
    const task = await openTaskAt(handle, 'review');
    await complete(handle, task.id, 'again', ana, { note: `round ${i}` });
  }
  const state = await waitForState(handle, (s) => s.tasks.length === 1);

  expect(state.runs).toBeGreaterThan(1);
  expect(state.stage).toBe('reviewing');
  expect(state.variables).toMatchObject({ customer: 'Ópticas Andinas', review: { data: { note: 'round 14' } } });
  expect(state.tasks[0].id).toBe(`${handle.workflowId}:review:16`);
  // The state lists the task as soon as the step opens it; its row is written by an activity right after.
  const open = await eventually(
    () => stack.database.db('tasks').where({ instance_id: handle.workflowId, status: 'open' }),
    (rows) => rows.length > 0,
    'the open task row',
  );
  expect(open.map((t: { id: string }) => t.id)).toEqual([state.tasks[0].id]);

  await complete(handle, state.tasks[0].id, 'done', ana);
  await handle.signal(eventSignal, { name: 'payment', eventId: 'p', payload: {} });
  expect((await handle.result()).outcome).toBe('paid');
  await recordHistory(handle, 'review-loop-after-continue-as-new');
});

it('runs the cleanup step on cancel, closes open tasks and ends cancelled', async () => {
  const handle = await startProcess(stack.env.client, stack.taskQueue, loop, 'cancel', { customer: 'Farmacia Sol' });
  const task = await openTaskAt(handle, 'review');

  await handle.signal(cancelSignal, { reason: 'customer withdrew', actor: 'operator' });
  const result = await handle.result();

  expect(result.status).toBe('cancelled');
  expect(await stack.database.db('tasks').where({ id: task.id }).first()).toMatchObject({ status: 'cancelled' });
  expect(await stack.database.db('process_instances').where({ id: handle.workflowId }).first()).toMatchObject({ status: 'cancelled' });
  expect(await stack.database.db('outbox').where({ instance_id: handle.workflowId, template: 'process-cancelled' })).toHaveLength(1);
  const finished = await stack.database.db('audit_events').where({ instance_id: handle.workflowId, kind: 'instance.cancelled' }).first();
  expect(finished.actor).toBe('operator');
  expect(await handle.query(stateQuery)).toMatchObject({ status: 'cancelled', tasks: [] });
  await recordHistory(handle, 'review-loop-cancelled');
});
