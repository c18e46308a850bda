/**
 * Each mapper of api/processes/history-mappers.ts on real events: the recorded histories of
 * test/histories/ (and test/unit/api/fixtures/recorded-history.json for retries and a failure). The
 * event types Cauce's recordings do not have (a failed workflow, a timed-out child…) get events
 * written in the same JSON form, with the attributes Temporal gives them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { attrsOf, shortEventType, type HistoryEventJson, type HistoryJson } from '../../../api/processes/history-json';
import { genericMapper, HISTORY_MAPPERS, mapperFor, newRunMemory, type HistoryEntry, type RunMemory } from '../../../api/processes/history-mappers';
import { timelineFromHistory } from '../../../api/processes/timeline';

const recorded = (name: string): HistoryJson => JSON.parse(readFileSync(path.join(__dirname, '../../histories', `${name}.json`), 'utf8')).history;
const fixture: HistoryJson = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'recorded-history.json'), 'utf8'));

/**
 * The entry for the `nth` event of `type` (0 = the first), mapped by that type's own mapper after
 * every earlier event of the run went through the table (so the run's memory is what it would be).
 */
function mapNth(history: HistoryJson, type: string, nth = 0): HistoryEntry | undefined {
  const mapper = HISTORY_MAPPERS.get(type);
  if (!mapper) throw new Error(`no mapper registered for ${type}`);
  const run = newRunMemory();
  let seen = 0;
  for (const e of history.events) {
    const t = shortEventType(e);
    if (t === type && seen++ === nth) return mapper(attrsOf(e), e, run);
    mapperFor(t)(attrsOf(e), e, run);
  }
  throw new Error(`the history has no ${type} number ${nth}`);
}

/** One event in the JSON form, for the types no recording has. */
const event = (type: string, attrs: Record<string, unknown>, eventId = '9'): HistoryEventJson => {
  const field = `${type.toLowerCase().replace(/_(.)/g, (_m, c: string) => c.toUpperCase())}EventAttributes`;
  return { eventId, eventTime: '2026-11-22T11:30:00.000Z', eventType: `EVENT_TYPE_${type}`, [field]: attrs };
};
const mapOne = (e: HistoryEventJson, run: RunMemory = newRunMemory()) => mapperFor(shortEventType(e))(attrsOf(e), e, run);
const failure = { message: 'could not reach ONYX', source: 'TypeScriptSDK', cause: { message: 'ECONNREFUSED', applicationFailureInfo: { type: 'OnyxDown' } } };

describe('the workflow itself', () => {
  test('started: the definition, version and business key from its input, started by whom', () => {
    expect(mapNth(recorded('parent-with-child'), 'WORKFLOW_EXECUTION_STARTED')).toEqual({
      kind: 'workflow.started',
      title: 'Process started: parent-with-child v1 (ACME-1)',
      actor: 'test',
      details: { workflowType: 'interpreter', definitionId: 'parent-with-child', version: 1, businessKey: 'ACME-1' },
    });
  });

  test('a run continued as new says so and names the previous run', () => {
    const entry = mapNth(recorded('review-loop-after-continue-as-new'), 'WORKFLOW_EXECUTION_STARTED');
    expect(entry).toMatchObject({ kind: 'workflow.continued', title: 'Continued in a new run', details: { previousRunId: expect.any(String) } });
  });

  test('completed: the status and outcome the interpreter returned', () => {
    expect(mapNth(recorded('review-loop-events'), 'WORKFLOW_EXECUTION_COMPLETED')).toEqual({
      kind: 'workflow.completed',
      title: 'Process completed: paid',
      details: { status: 'completed', outcome: 'paid' },
    });
    // A cancelled instance completes its workflow (the onCancel step ran) with status cancelled.
    expect(mapNth(recorded('review-loop-cancelled'), 'WORKFLOW_EXECUTION_COMPLETED')).toEqual({ kind: 'workflow.completed', title: 'Process cancelled', details: { status: 'cancelled' } });
  });

  test('failed, cancelled, terminated, timed out, cancel requested and continued as new', () => {
    expect(mapOne(event('WORKFLOW_EXECUTION_FAILED', { failure }))).toEqual({
      kind: 'workflow.failed',
      title: 'Process failed: could not reach ONYX: ECONNREFUSED',
      details: { error: 'could not reach ONYX: ECONNREFUSED', errorType: 'OnyxDown' },
    });
    expect(mapOne(event('WORKFLOW_EXECUTION_CANCELED', {}))).toEqual({ kind: 'workflow.cancelled', title: 'Process cancelled' });
    expect(mapOne(event('WORKFLOW_EXECUTION_TERMINATED', { reason: 'stuck', identity: 'ops@host' }))).toEqual({ kind: 'workflow.terminated', title: 'Process terminated: stuck', actor: 'ops@host' });
    expect(mapOne(event('WORKFLOW_EXECUTION_TIMED_OUT', {}))).toEqual({ kind: 'workflow.timedOut', title: 'Process timed out' });
    expect(mapOne(event('WORKFLOW_EXECUTION_CANCEL_REQUESTED', { cause: 'cleanup', identity: 'cli' }))).toMatchObject({
      kind: 'workflow.cancelRequested',
      title: 'Cancellation requested through Temporal: cleanup',
      actor: 'cli',
    });
    expect(mapOne(event('WORKFLOW_EXECUTION_CONTINUED_AS_NEW', { newExecutionRunId: 'run-2' }))).toMatchObject({ kind: 'workflow.continuedAsNew', details: { newRunId: 'run-2' } });
  });
});

describe('activities', () => {
  test('scheduled: named by its type, at the step its StepContext names', () => {
    expect(mapNth(recorded('review-loop-events'), 'ACTIVITY_TASK_SCHEDULED', 1)).toEqual({
      kind: 'activity.scheduled',
      title: 'engine.setStage scheduled',
      stepId: 'markReviewing',
      details: { activity: 'engine.setStage', activityId: '2' },
    });
  });

  test('started adds no entry but remembers the attempt and the previous error for the close', () => {
    const run = newRunMemory();
    const [scheduled, started] = fixture.events.filter((e) => ['5', '6'].includes(e.eventId));
    mapOne(scheduled, run);
    expect(mapOne(started, run)).toBeUndefined();
    expect(run.activities.get('5')).toMatchObject({ name: 'flaky', attempt: 3, lastFailure: { message: 'ONYX unavailable (call 2)' } });
  });

  test('completed: first time, or after retries with the previous error', () => {
    expect(mapNth(recorded('parent-with-child'), 'ACTIVITY_TASK_COMPLETED')).toEqual({
      kind: 'activity.completed',
      title: 'engine.recordStart completed',
      details: { activity: 'engine.recordStart', attempt: 1 },
    });
    expect(mapNth(fixture, 'ACTIVITY_TASK_COMPLETED')).toEqual({
      kind: 'activity.completed',
      title: 'flaky completed after 3 attempts',
      stepId: 'createAccount',
      details: { activity: 'flaky', attempt: 3, previousError: 'ONYX unavailable (call 2)' },
    });
  });

  test('failed: its error, type and why Temporal stopped retrying', () => {
    expect(mapNth(fixture, 'ACTIVITY_TASK_FAILED')).toMatchObject({
      kind: 'activity.failed',
      title: 'broken failed after 2 attempts: smtp down',
      stepId: 'notify',
      details: { error: 'smtp down', errorType: 'Error', retryState: 'RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED', attempt: 2 },
    });
  });

  test('timed out and cancelled, named from their scheduled event', () => {
    const run = newRunMemory();
    mapOne(event('ACTIVITY_TASK_SCHEDULED', { activityType: { name: 'crm.lookupClient' }, activityId: '4', input: { payloads: [] } }, '5'), run);
    expect(mapOne(event('ACTIVITY_TASK_TIMED_OUT', { scheduledEventId: '5', failure: { message: 'activity StartToClose timeout' }, retryState: 'RETRY_STATE_TIMEOUT' }), run)).toEqual({
      kind: 'activity.timedOut',
      title: 'crm.lookupClient timed out (attempt 1): activity StartToClose timeout',
      details: { activity: 'crm.lookupClient', attempt: 1, error: 'activity StartToClose timeout', retryState: 'RETRY_STATE_TIMEOUT' },
    });
    expect(mapOne(event('ACTIVITY_TASK_CANCELED', { scheduledEventId: '5' }), run)).toMatchObject({ kind: 'activity.cancelled', title: 'crm.lookupClient cancelled' });
    // Its scheduled event in an earlier run (or page): still an entry, generically named.
    expect(mapOne(event('ACTIVITY_TASK_CANCELED', { scheduledEventId: '404' }))).toMatchObject({ title: 'activity cancelled' });
  });
});

describe('timers', () => {
  const trial = recorded('trial-paid-day-12');

  test('started: its duration and when it fires', () => {
    const started = trial.events.find((e) => e.eventType === 'EVENT_TYPE_TIMER_STARTED')!;
    const entry = mapNth(trial, 'TIMER_STARTED');
    expect(entry).toMatchObject({ kind: 'timer.started', title: 'Timer started: 23d', details: { timerId: '1', duration: '23d' } });
    // What is left of the 23 days the trial began with, to the millisecond.
    const seconds = Number.parseFloat(attrsOf(started).startToFireTimeout);
    expect(Date.parse(entry!.details!.firesAt as string) - Date.parse(started.eventTime)).toBe(Math.round(seconds * 1000));
  });

  test('fired and cancelled name the timer they end', () => {
    expect(mapNth(trial, 'TIMER_FIRED')).toEqual({ kind: 'timer.fired', title: 'Timer fired: 1d', details: { timerId: '2' } });
    expect(mapNth(trial, 'TIMER_CANCELED')).toEqual({ kind: 'timer.cancelled', title: 'Timer cancelled: 23d', details: { timerId: '1' } });
  });
});

describe('signals and updates', () => {
  test("the `event` signal: the event's name, id, payload and sender", () => {
    expect(mapNth(recorded('fixable-incident-retried'), 'WORKFLOW_EXECUTION_SIGNALED')).toEqual({
      kind: 'event.received',
      title: "Event 'fix' received",
      actor: 'admin',
      details: { name: 'fix', eventId: 'fix-1', payload: { value: '12' } },
    });
  });

  test('the `cancel` signal: the reason and who asked', () => {
    expect(mapNth(recorded('review-loop-cancelled'), 'WORKFLOW_EXECUTION_SIGNALED')).toEqual({
      kind: 'cancel.requested',
      title: 'Cancellation requested: customer withdrew',
      actor: 'operator',
      details: { reason: 'customer withdrew' },
    });
  });

  test('any other signal by its name and input', () => {
    const input = { payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('{"n":1}').toString('base64') }] };
    expect(mapOne(event('WORKFLOW_EXECUTION_SIGNALED', { signalName: 'poke', input }))).toEqual({
      kind: 'signal.received',
      title: "Signal 'poke' received",
      details: { signal: 'poke', input: { n: 1 } },
    });
  });

  test('a task completion: requested, then completed by its actor with the outcome', () => {
    const history = recorded('review-loop-events');
    const accepted = mapNth(history, 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
    expect(accepted).toMatchObject({ kind: 'update.accepted', title: expect.stringMatching(/^Completion of task .*:review:1 requested \(done\)$/), actor: 'ana' });
    expect(mapNth(history, 'WORKFLOW_EXECUTION_UPDATE_COMPLETED')).toMatchObject({
      kind: 'update.completed',
      title: expect.stringMatching(/^Task .*:review:1 completed by ana: done$/),
      actor: 'ana',
      details: { update: 'completeTask', outcome: 'done', result: expect.objectContaining({ outcome: 'done' }) },
    });
  });

  test('other updates by name; the actor still comes from the input', () => {
    const history = recorded('fixable-incident-retried');
    expect(mapNth(history, 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED')).toMatchObject({ title: "Update 'resolveIncident' accepted", actor: 'admin' });
    expect(mapNth(history, 'WORKFLOW_EXECUTION_UPDATE_COMPLETED')).toMatchObject({
      title: "Update 'resolveIncident' completed",
      details: { result: { resolution: 'retried' } },
    });
  });

  test('a claim, and an update that failed in the workflow', () => {
    const run = newRunMemory();
    const args = { payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('{"taskId":"t1","actor":{"username":"bob"}}').toString('base64') }] };
    mapOne(event('WORKFLOW_EXECUTION_UPDATE_ACCEPTED', { protocolInstanceId: 'u1', acceptedRequest: { meta: { updateId: 'u1' }, input: { name: 'claimTask', args } } }, '7'), run);
    expect(mapOne(event('WORKFLOW_EXECUTION_UPDATE_COMPLETED', { acceptedEventId: '7', outcome: { success: { payloads: [] } } }), run)).toMatchObject({ title: 'Task t1 claimed by bob', actor: 'bob' });
    expect(mapOne(event('WORKFLOW_EXECUTION_UPDATE_COMPLETED', { meta: { updateId: 'u1' }, outcome: { failure } }), run)).toEqual({
      kind: 'update.failed',
      title: "Update 'claimTask' failed: could not reach ONYX: ECONNREFUSED",
      actor: 'bob',
      details: { update: 'claimTask', taskId: 't1', error: 'could not reach ONYX: ECONNREFUSED', errorType: 'OnyxDown' },
    });
  });
});

describe('child workflows (sub-processes)', () => {
  const parent = recorded('parent-with-child');

  test('initiated, started and completed', () => {
    expect(mapNth(parent, 'START_CHILD_WORKFLOW_EXECUTION_INITIATED')).toMatchObject({
      kind: 'child.initiated',
      title: 'Sub-process welcome-child starting',
      details: { definitionId: 'welcome-child', businessKey: 'ACME-1/welcome' },
    });
    expect(mapNth(parent, 'CHILD_WORKFLOW_EXECUTION_STARTED')).toMatchObject({ kind: 'child.started', title: expect.stringMatching(/^Sub-process .*:welcome:1 started$/) });
    expect(mapNth(parent, 'CHILD_WORKFLOW_EXECUTION_COMPLETED')).toMatchObject({ kind: 'child.completed', details: { runId: expect.any(String) } });
  });

  test('could not start, failed, cancelled, terminated, timed out', () => {
    expect(mapOne(event('START_CHILD_WORKFLOW_EXECUTION_FAILED', { workflowId: 'c1', cause: 'WORKFLOW_ALREADY_EXISTS' }))).toEqual({
      kind: 'child.startFailed',
      title: 'Sub-process c1 could not start (WORKFLOW_ALREADY_EXISTS)',
      details: { workflowId: 'c1', cause: 'WORKFLOW_ALREADY_EXISTS' },
    });
    expect(mapOne(event('CHILD_WORKFLOW_EXECUTION_FAILED', { workflowExecution: { workflowId: 'c2', runId: 'r2' }, failure }))).toEqual({
      kind: 'child.failed',
      title: 'Sub-process c2 failed: could not reach ONYX: ECONNREFUSED',
      details: { workflowId: 'c2', runId: 'r2', error: 'could not reach ONYX: ECONNREFUSED' },
    });
    const ends = ['CANCELED', 'TERMINATED', 'TIMED_OUT'].map((t) => mapOne(event(`CHILD_WORKFLOW_EXECUTION_${t}`, { workflowExecution: { workflowId: 'c3' } })));
    expect(ends.map((e) => [e?.kind, e?.title])).toEqual([
      ['child.cancelled', 'Sub-process c3 cancelled'],
      ['child.terminated', 'Sub-process c3 terminated'],
      ['child.timedOut', 'Sub-process c3 timed out'],
    ]);
  });
});

describe('what is left out, and what no mapper knows', () => {
  test('workflow-task and search-attribute events add no entry', () => {
    const history = recorded('fixable-incident-retried');
    for (const type of ['WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED', 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES']) {
      expect(mapNth(history, type)).toBeUndefined();
    }
  });

  test('an unknown type gets one generic entry named after it, instead of vanishing', () => {
    const e = event('ACTIVITY_TASK_CANCEL_REQUESTED', { scheduledEventId: '5' });
    expect(HISTORY_MAPPERS.has('ACTIVITY_TASK_CANCEL_REQUESTED')).toBe(false);
    expect(mapOne(e)).toEqual({ kind: 'temporal.activityTaskCancelRequested', title: 'Activity task cancel requested', details: { eventType: 'EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED' } });
    expect(mapOne(e)).toEqual(genericMapper({}, e, newRunMemory()));
    expect(timelineFromHistory({ events: [e] })).toEqual([{ at: e.eventTime, source: 'temporal', ...mapOne(e) }]);
  });
});
