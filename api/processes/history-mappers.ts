/**
 * One small mapper per Temporal history event type (or family), registered by type in
 * `HISTORY_MAPPERS`; a type no one registered falls to `genericMapper`. A mapper reads the event's
 * attributes and what earlier events of the run left in `RunMemory` (later events name earlier ones
 * only by id), and returns the entry to show, or nothing.
 */
import type { temporal } from '@temporalio/proto';
import { cancelSignal, claimTaskUpdate, completeTaskUpdate, eventSignal } from '../../workflows/messages';
import { compact, decodeAll, failureMessage, failureType, humanDuration, isObject, shortEventType, summaryOf, type FailureJson, type HistoryEventJson } from './history-json';
import type { TimelineEntry } from './timeline';

/** What a mapper says about an event; the loop adds its time and source. */
export type HistoryEntry = Omit<TimelineEntry, 'at' | 'source'>;

/** What earlier events of one run told, keyed by the event id (or update id) later events refer to. */
export interface RunMemory {
  activities: Map<string, { name: string; stepId?: string; attempt?: number; lastFailure?: FailureJson }>;
  timers: Map<string, { duration: string; summary?: string }>;
  updates: Map<string, { name: string; args: unknown[]; actor?: string }>;
  children: Map<string, { workflowType: string; workflowId: string }>;
}

export const newRunMemory = (): RunMemory => ({ activities: new Map(), timers: new Map(), updates: new Map(), children: new Map() });

export type HistoryMapper = (attrs: Record<string, any>, event: HistoryEventJson, run: RunMemory) => HistoryEntry | undefined;

/** Event type names without their `EVENT_TYPE_` prefix, as the table is keyed (typos do not compile). */
type EventTypeName = keyof typeof temporal.api.enums.v1.EventType extends infer K ? (K extends `EVENT_TYPE_${infer T}` ? T : never) : never;

const actorOf = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Step id of an interpreter activity: from its StepContext argument, or from an idempotency key `instance:step:visit`. */
export function stepIdOf(args: unknown[]): string | undefined {
  for (const arg of args) {
    if (isObject(arg) && typeof arg.stepId === 'string') return arg.stepId;
  }
  for (const arg of args) {
    if (isObject(arg) && typeof arg.key === 'string') {
      const parts = arg.key.split(':');
      if (parts.length >= 3) return parts[1];
    }
  }
  return undefined;
}

// ---- the workflow itself ----

const workflowStarted: HistoryMapper = (a) => {
  const [input] = decodeAll(a.input);
  const i = isObject(input) ? input : {};
  const continued = !!a.continuedExecutionRunId;
  return {
    kind: continued ? 'workflow.continued' : 'workflow.started',
    title: continued
      ? 'Continued in a new run'
      : `Process started${i.definition?.id ? `: ${i.definition.id} v${i.definition.version}` : ''}${i.businessKey ? ` (${i.businessKey})` : ''}`,
    actor: actorOf(i.startedBy),
    details: compact({
      workflowType: a.workflowType?.name,
      definitionId: i.definition?.id,
      version: i.definition?.version,
      businessKey: i.businessKey,
      previousRunId: a.continuedExecutionRunId || undefined,
    }),
  };
};

const workflowCompleted: HistoryMapper = (a) => {
  const [result] = decodeAll(a.result);
  const r = isObject(result) ? result : {};
  const status = typeof r.status === 'string' ? r.status : 'completed';
  return { kind: 'workflow.completed', title: `Process ${status}${r.outcome ? `: ${r.outcome}` : ''}`, details: compact({ status, outcome: r.outcome ?? undefined }) };
};

const workflowFailed: HistoryMapper = (a) => ({
  kind: 'workflow.failed',
  title: `Process failed: ${failureMessage(a.failure)}`,
  details: compact({ error: failureMessage(a.failure), errorType: failureType(a.failure) }),
});

const workflowCancelRequested: HistoryMapper = (a) => ({
  kind: 'workflow.cancelRequested',
  title: `Cancellation requested through Temporal${a.cause ? `: ${a.cause}` : ''}`,
  actor: a.identity || undefined,
});

const workflowContinuedAsNew: HistoryMapper = (a) => ({ kind: 'workflow.continuedAsNew', title: 'Continued as new (history compacted)', details: compact({ newRunId: a.newExecutionRunId }) });

const workflowTerminated: HistoryMapper = (a) => ({ kind: 'workflow.terminated', title: `Process terminated${a.reason ? `: ${a.reason}` : ''}`, actor: a.identity || undefined });

// ---- activities ----

const activityScheduled: HistoryMapper = (a, e, run) => {
  const name = a.activityType?.name ?? 'activity';
  const stepId = stepIdOf(decodeAll(a.input));
  run.activities.set(String(e.eventId), { name, stepId });
  return {
    kind: 'activity.scheduled',
    title: summaryOf(e) ?? `${name} scheduled`,
    stepId,
    details: compact({ activity: name, activityId: a.activityId, maximumAttempts: a.retryPolicy?.maximumAttempts || undefined }),
  };
};

/** Written once, when the activity finishes: its attempt is the last one, lastFailure the previous attempt's error. */
const activityStarted: HistoryMapper = (a, _e, run) => {
  const act = run.activities.get(String(a.scheduledEventId));
  if (act) {
    act.attempt = a.attempt;
    act.lastFailure = a.lastFailure;
  }
  return undefined;
};

/** Completed, failed, timed out or cancelled: titled with the attempts it took (and the previous attempt's error). */
const activityClosed =
  (how: 'completed' | 'failed' | 'timedOut' | 'cancelled'): HistoryMapper =>
  (a, _e, run) => {
    const act = run.activities.get(String(a.scheduledEventId)) ?? { name: 'activity' };
    const attempt = act.attempt ?? 1;
    const retried = attempt > 1 ? ` after ${attempt} attempts` : '';
    const details: Record<string, unknown> = { activity: act.name, attempt };
    if (act.lastFailure && attempt > 1) details.previousError = failureMessage(act.lastFailure);
    const kind = `activity.${how}`;
    if (how === 'completed') return { kind, title: `${act.name} completed${retried}`, stepId: act.stepId, details };
    if (how === 'cancelled') return { kind, title: `${act.name} cancelled`, stepId: act.stepId, details };
    const error = failureMessage(a.failure);
    details.error = error;
    details.errorType = failureType(a.failure);
    details.retryState = a.retryState;
    return {
      kind,
      title: `${act.name} ${how === 'timedOut' ? 'timed out' : 'failed'}${retried || ` (attempt ${attempt})`}: ${error}`,
      stepId: act.stepId,
      details: compact(details),
    };
  };

// ---- timers ----

const timerStarted: HistoryMapper = (a, e, run) => {
  const duration = humanDuration(a.startToFireTimeout);
  const summary = summaryOf(e);
  run.timers.set(String(a.timerId), { duration, summary });
  const firesAt = new Date(new Date(e.eventTime).getTime() + Number.parseFloat(a.startToFireTimeout ?? '0') * 1000).toISOString();
  return { kind: 'timer.started', title: `Timer started: ${summary ?? duration}`, details: compact({ timerId: a.timerId, duration, firesAt }) };
};

const timerEnded =
  (how: 'fired' | 'cancelled'): HistoryMapper =>
  (a, _e, run) => {
    const t = run.timers.get(String(a.timerId));
    return { kind: `timer.${how}`, title: `Timer ${how}${t ? `: ${t.summary ?? t.duration}` : ''}`, details: { timerId: a.timerId } };
  };

// ---- messages: signals and updates ----

/** The interpreter's `event` and `cancel` signals by name; any other signal generically. */
const signaled: HistoryMapper = (a) => {
  const [arg] = decodeAll(a.input);
  const payload = isObject(arg) ? arg : {};
  if (a.signalName === eventSignal.name) {
    return {
      kind: 'event.received',
      title: `Event '${payload.name ?? '?'}' received`,
      actor: actorOf(payload.actor),
      details: compact({ name: payload.name, eventId: payload.eventId, payload: payload.payload }),
    };
  }
  if (a.signalName === cancelSignal.name) {
    return {
      kind: 'cancel.requested',
      title: `Cancellation requested${payload.reason ? `: ${payload.reason}` : ''}`,
      actor: actorOf(payload.actor),
      details: compact({ reason: payload.reason }),
    };
  }
  return { kind: 'signal.received', title: `Signal '${a.signalName}' received`, details: compact({ signal: a.signalName, input: arg }) };
};

/** The first argument of a task update (`{ taskId, outcome, release, actor: { username } }`), or {}. */
const taskInput = (args: unknown[]): Record<string, any> => (isObject(args[0]) ? args[0] : {});

const updateAccepted: HistoryMapper = (a, e, run) => {
  const req = a.acceptedRequest ?? {};
  const name: string = req.input?.name ?? 'update';
  const args = decodeAll(req.input?.args);
  const input = taskInput(args);
  const actor = actorOf(input.actor?.username);
  const updateId = req.meta?.updateId ?? a.protocolInstanceId;
  run.updates.set(String(e.eventId), { name, args, actor });
  if (updateId) run.updates.set(`id:${updateId}`, { name, args, actor });
  const title =
    name === completeTaskUpdate.name
      ? `Completion of task ${input.taskId} requested (${input.outcome})`
      : name === claimTaskUpdate.name
        ? `${input.release ? 'Release' : 'Claim'} of task ${input.taskId} requested`
        : `Update '${name}' accepted`;
  return { kind: 'update.accepted', title, actor, details: compact({ update: name, updateId, taskId: input.taskId, outcome: input.outcome, data: input.data }) };
};

const updateCompleted: HistoryMapper = (a, _e, run) => {
  const u = run.updates.get(String(a.acceptedEventId)) ?? run.updates.get(`id:${a.meta?.updateId}`) ?? { name: 'update', args: [] };
  const input = taskInput(u.args);
  const failure = a.outcome?.failure as FailureJson | undefined;
  if (failure) {
    return {
      kind: 'update.failed',
      title: `Update '${u.name}' failed: ${failureMessage(failure)}`,
      actor: u.actor,
      details: compact({ update: u.name, taskId: input.taskId, error: failureMessage(failure), errorType: failureType(failure) }),
    };
  }
  const [result] = decodeAll(a.outcome?.success);
  const title =
    u.name === completeTaskUpdate.name
      ? `Task ${input.taskId} completed by ${u.actor ?? '?'}: ${input.outcome}`
      : u.name === claimTaskUpdate.name
        ? `Task ${input.taskId} ${input.release ? 'released' : 'claimed'} by ${u.actor ?? '?'}`
        : `Update '${u.name}' completed`;
  return { kind: 'update.completed', title, actor: u.actor, details: compact({ update: u.name, taskId: input.taskId, outcome: input.outcome, result }) };
};

// ---- child workflows (sub-processes) ----

const childInitiated: HistoryMapper = (a, e, run) => {
  const [input] = decodeAll(a.input);
  const i = isObject(input) ? input : {};
  run.children.set(String(e.eventId), { workflowType: a.workflowType?.name, workflowId: a.workflowId });
  return {
    kind: 'child.initiated',
    title: `Sub-process ${i.definition?.id ?? a.workflowType?.name ?? ''} starting`,
    details: compact({ workflowId: a.workflowId, definitionId: i.definition?.id, businessKey: i.businessKey }),
  };
};

const childStartFailed: HistoryMapper = (a) => ({
  kind: 'child.startFailed',
  title: `Sub-process ${a.workflowId} could not start (${a.cause})`,
  details: { workflowId: a.workflowId, cause: a.cause },
});

/** Started, completed, failed, cancelled, terminated or timed out: `verb` is what the title says. */
const childEvent =
  (kind: string, verb: string): HistoryMapper =>
  (a, _e, run) => {
    const workflowId = a.workflowExecution?.workflowId ?? run.children.get(String(a.initiatedEventId))?.workflowId;
    const details: Record<string, unknown> = { workflowId, runId: a.workflowExecution?.runId };
    if (a.failure) details.error = failureMessage(a.failure);
    return { kind, title: `Sub-process ${workflowId} ${verb}${a.failure ? `: ${details.error}` : ''}`, details: compact(details) };
  };

/** Bookkeeping of the SDK and the server, left out of every timeline (the workflow's own story is in the other events). */
const ignored: HistoryMapper = () => undefined;

/** Title words from the type: `ACTIVITY_TASK_CANCEL_REQUESTED` → `Activity task cancel requested`. */
const words = (type: string) => type.toLowerCase().replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
const camel = (type: string) => type.toLowerCase().replace(/_(.)/g, (_m, c: string) => c.toUpperCase());

/** An event type no mapper knows (a newer server's, or one Cauce does not issue): shown by its name, so nothing disappears silently. */
export const genericMapper: HistoryMapper = (_a, e) => {
  const type = shortEventType(e);
  return { kind: `temporal.${camel(type)}`, title: words(type), details: { eventType: e.eventType } };
};

export const HISTORY_MAPPERS: ReadonlyMap<string, HistoryMapper> = new Map(
  Object.entries({
    WORKFLOW_EXECUTION_STARTED: workflowStarted,
    WORKFLOW_EXECUTION_COMPLETED: workflowCompleted,
    WORKFLOW_EXECUTION_FAILED: workflowFailed,
    WORKFLOW_EXECUTION_CANCELED: () => ({ kind: 'workflow.cancelled', title: 'Process cancelled' }),
    WORKFLOW_EXECUTION_TERMINATED: workflowTerminated,
    WORKFLOW_EXECUTION_TIMED_OUT: () => ({ kind: 'workflow.timedOut', title: 'Process timed out' }),
    WORKFLOW_EXECUTION_CANCEL_REQUESTED: workflowCancelRequested,
    WORKFLOW_EXECUTION_CONTINUED_AS_NEW: workflowContinuedAsNew,

    ACTIVITY_TASK_SCHEDULED: activityScheduled,
    ACTIVITY_TASK_STARTED: activityStarted,
    ACTIVITY_TASK_COMPLETED: activityClosed('completed'),
    ACTIVITY_TASK_FAILED: activityClosed('failed'),
    ACTIVITY_TASK_TIMED_OUT: activityClosed('timedOut'),
    ACTIVITY_TASK_CANCELED: activityClosed('cancelled'),

    TIMER_STARTED: timerStarted,
    TIMER_FIRED: timerEnded('fired'),
    TIMER_CANCELED: timerEnded('cancelled'),

    WORKFLOW_EXECUTION_SIGNALED: signaled,
    WORKFLOW_EXECUTION_UPDATE_ACCEPTED: updateAccepted,
    WORKFLOW_EXECUTION_UPDATE_COMPLETED: updateCompleted,

    START_CHILD_WORKFLOW_EXECUTION_INITIATED: childInitiated,
    START_CHILD_WORKFLOW_EXECUTION_FAILED: childStartFailed,
    CHILD_WORKFLOW_EXECUTION_STARTED: childEvent('child.started', 'started'),
    CHILD_WORKFLOW_EXECUTION_COMPLETED: childEvent('child.completed', 'completed'),
    CHILD_WORKFLOW_EXECUTION_FAILED: childEvent('child.failed', 'failed'),
    CHILD_WORKFLOW_EXECUTION_CANCELED: childEvent('child.cancelled', 'cancelled'),
    CHILD_WORKFLOW_EXECUTION_TERMINATED: childEvent('child.terminated', 'terminated'),
    CHILD_WORKFLOW_EXECUTION_TIMED_OUT: childEvent('child.timedOut', 'timed out'),

    WORKFLOW_TASK_SCHEDULED: ignored,
    WORKFLOW_TASK_STARTED: ignored,
    WORKFLOW_TASK_COMPLETED: ignored,
    WORKFLOW_TASK_TIMED_OUT: ignored,
    WORKFLOW_TASK_FAILED: ignored,
    MARKER_RECORDED: ignored,
    UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: ignored,
    WORKFLOW_PROPERTIES_MODIFIED: ignored,
  } satisfies Partial<Record<EventTypeName, HistoryMapper>>),
);

/** The mapper for an event type (short name, `TIMER_FIRED`). */
export const mapperFor = (type: string): HistoryMapper => HISTORY_MAPPERS.get(type) ?? genericMapper;
