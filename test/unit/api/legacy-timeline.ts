/** TEMPORARY: api/processes/timeline.ts before the mapper table, for the golden comparison (deleted in the next commit). */
import { temporal } from '@temporalio/proto';
import { toIso } from '../../../lib/time';
import { cancelSignal, claimTaskUpdate, completeTaskUpdate, eventSignal } from '../../../workflows/messages';
import type { StepVisit } from '../../../workflows/model';

export interface TimelineEntry {
  at: string;
  kind: string;
  title: string;
  /** temporal: the workflow history; audit: the activities' audit trail; workflow: the interpreter's step trail. */
  source: 'temporal' | 'audit' | 'workflow';
  actor?: string;
  stepId?: string;
  details?: Record<string, unknown>;
}

/** JSON history as Temporal tools write it: camelCase fields, enum names, base64 payloads. */
export interface HistoryJson {
  events: HistoryEventJson[];
}
export type HistoryEventJson = { eventId: string; eventTime: string; eventType: string } & Record<string, any>;

export interface AuditRow {
  at: Date | string;
  kind: string;
  actor: string | null;
  step_id: string | null;
  task_id: string | null;
  details: Record<string, unknown> | null;
}

const isTimestamp = (v: unknown): v is { seconds?: string | number; nanos?: number } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).every((k) => k === 'seconds' || k === 'nanos') && Object.keys(v).length > 0;

/**
 * A fetched History (protobuf objects) in the JSON form above. `historyToJSON` from
 * @temporalio/common would do this, but in this install it throws ("type must be a Type": two
 * protobufjs copies), so this converts with the generated `toObject` and fixes times and durations.
 */
export function historyFromProto(history: temporal.api.history.v1.IHistory): HistoryJson {
  const message = temporal.api.history.v1.History.fromObject(history);
  const plain = temporal.api.history.v1.History.toObject(message, { longs: String, enums: String, bytes: String }) as HistoryJson;
  const seconds = (t: { seconds?: string | number; nanos?: number }) => Number(t.seconds ?? 0) + (t.nanos ?? 0) / 1e9;
  const fix = (value: unknown, key: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => fix(v, ''));
    if (isTimestamp(value)) {
      // google.protobuf.Timestamp (…Time) or Duration (…Timeout, …Interval, backoff…).
      return /Time$/.test(key) ? new Date(seconds(value) * 1000).toISOString() : `${seconds(value)}s`;
    }
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fix(v, k)]));
    }
    return value;
  };
  return { events: (plain.events ?? []).map((e) => fix(e, '') as HistoryEventJson) };
}

interface PayloadJson {
  metadata?: Record<string, string>;
  data?: string;
}

const b64 = (s: string | undefined) => (s === undefined ? '' : Buffer.from(s, 'base64').toString('utf8'));

/** Decodes a `json/plain` payload; other encodings (binary, protobuf, encrypted) stay undecoded. */
function decodePayload(p: PayloadJson | undefined): unknown {
  if (!p) return undefined;
  const encoding = b64(p.metadata?.encoding);
  if (encoding === 'binary/null') return null;
  if (encoding === 'json/plain') {
    try {
      return JSON.parse(b64(p.data));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const decodeAll = (payloads: { payloads?: PayloadJson[] } | undefined): unknown[] => (payloads?.payloads ?? []).map(decodePayload);

interface FailureJson {
  message?: string;
  cause?: FailureJson;
  applicationFailureInfo?: { type?: string; nonRetryable?: boolean };
}

/** `outer: inner: innermost`, without repeating a message its cause already says. */
function failureMessage(f: FailureJson | undefined): string {
  if (!f) return 'unknown error';
  const inner = f.cause ? failureMessage(f.cause) : '';
  const own = f.message ?? '';
  if (!inner) return own || 'unknown error';
  if (!own || own === inner) return inner;
  return `${own}: ${inner}`;
}

const failureType = (f: FailureJson | undefined): string | undefined => f?.applicationFailureInfo?.type ?? (f?.cause ? failureType(f.cause) : undefined);

/** `86400s` → `1d`, `5400s` → `1h30m`, `0.2s` → `200ms`. */
export function humanDuration(protoDuration: string | undefined): string {
  if (!protoDuration) return '';
  const exact = Number.parseFloat(protoDuration);
  if (!Number.isFinite(exact)) return protoDuration;
  if (exact > 0 && exact < 1) return `${Math.round(exact * 1000)}ms`;
  let seconds = Math.round(exact);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (seconds >= size) {
      parts.push(`${Math.floor(seconds / size)}${unit}`);
      seconds %= size;
    }
  }
  return parts.join('') || '0s';
}

const EVENT = 'EVENT_TYPE_';
const attrsOf = (e: HistoryEventJson): Record<string, any> => {
  const key = Object.keys(e).find((k) => k.endsWith('EventAttributes'));
  return key ? e[key] : {};
};
const summaryOf = (e: HistoryEventJson): string | undefined => {
  const s = decodePayload(e.userMetadata?.summary);
  return typeof s === 'string' && s ? s : undefined;
};
const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Step id of an interpreter activity: from its StepContext argument, or from an idempotency key `instance:step:visit`. */
function stepIdOf(args: unknown[]): string | undefined {
  for (const arg of args) {
    if (!isObject(arg)) continue;
    if (typeof arg.stepId === 'string') return arg.stepId;
  }
  for (const arg of args) {
    if (isObject(arg) && typeof arg.key === 'string') {
      const parts = arg.key.split(':');
      if (parts.length >= 3) return parts[1];
    }
  }
  return undefined;
}

const compact = <T extends Record<string, unknown>>(o: T): T => {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
};

/** Maps one run's history. Workflow-task, marker and search-attribute events are left out. */
export function timelineFromHistory(history: HistoryJson): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  const byId = new Map<string, HistoryEventJson>();
  const activities = new Map<string, { name: string; stepId?: string; attempt?: number; lastFailure?: FailureJson }>();
  const timers = new Map<string, { duration: string; summary?: string }>();
  const updates = new Map<string, { name: string; args: unknown[]; actor?: string }>();
  const children = new Map<string, { workflowType: string; workflowId: string }>();

  const push = (e: HistoryEventJson, entry: Omit<TimelineEntry, 'at' | 'source'>) =>
    out.push(compact({ at: toIso(e.eventTime), source: 'temporal' as const, ...entry }));

  for (const e of history.events) {
    byId.set(String(e.eventId), e);
    const a = attrsOf(e);
    const type = e.eventType.startsWith(EVENT) ? e.eventType.slice(EVENT.length) : e.eventType;
    switch (type) {
      case 'WORKFLOW_EXECUTION_STARTED': {
        const [input] = decodeAll(a.input);
        const i = isObject(input) ? input : {};
        const continued = !!a.continuedExecutionRunId;
        push(e, {
          kind: continued ? 'workflow.continued' : 'workflow.started',
          title: continued
            ? 'Continued in a new run'
            : `Process started${i.definition?.id ? `: ${i.definition.id} v${i.definition.version}` : ''}${i.businessKey ? ` (${i.businessKey})` : ''}`,
          actor: typeof i.startedBy === 'string' ? i.startedBy : undefined,
          details: compact({
            workflowType: a.workflowType?.name,
            definitionId: i.definition?.id,
            version: i.definition?.version,
            businessKey: i.businessKey,
            previousRunId: a.continuedExecutionRunId || undefined,
          }),
        });
        break;
      }
      case 'ACTIVITY_TASK_SCHEDULED': {
        const args = decodeAll(a.input);
        const name = a.activityType?.name ?? 'activity';
        const stepId = stepIdOf(args);
        activities.set(String(e.eventId), { name, stepId });
        push(e, {
          kind: 'activity.scheduled',
          title: summaryOf(e) ?? `${name} scheduled`,
          stepId,
          details: compact({ activity: name, activityId: a.activityId, maximumAttempts: a.retryPolicy?.maximumAttempts || undefined }),
        });
        break;
      }
      case 'ACTIVITY_TASK_STARTED': {
        // Written once, when the activity finishes: its attempt is the last one, lastFailure the previous attempt's error.
        const act = activities.get(String(a.scheduledEventId));
        if (act) {
          act.attempt = a.attempt;
          act.lastFailure = a.lastFailure;
        }
        break;
      }
      case 'ACTIVITY_TASK_COMPLETED':
      case 'ACTIVITY_TASK_FAILED':
      case 'ACTIVITY_TASK_TIMED_OUT':
      case 'ACTIVITY_TASK_CANCELED': {
        const act = activities.get(String(a.scheduledEventId)) ?? { name: 'activity' };
        const attempt = act.attempt ?? 1;
        const retried = attempt > 1 ? ` after ${attempt} attempts` : '';
        const details: Record<string, unknown> = { activity: act.name, attempt };
        if (act.lastFailure && attempt > 1) details.previousError = failureMessage(act.lastFailure);
        if (type === 'ACTIVITY_TASK_COMPLETED') {
          push(e, { kind: 'activity.completed', title: `${act.name} completed${retried}`, stepId: act.stepId, details });
        } else if (type === 'ACTIVITY_TASK_CANCELED') {
          push(e, { kind: 'activity.cancelled', title: `${act.name} cancelled`, stepId: act.stepId, details });
        } else {
          const error = failureMessage(a.failure);
          details.error = error;
          details.errorType = failureType(a.failure);
          details.retryState = a.retryState;
          const timedOut = type === 'ACTIVITY_TASK_TIMED_OUT';
          push(e, {
            kind: timedOut ? 'activity.timedOut' : 'activity.failed',
            title: `${act.name} ${timedOut ? 'timed out' : 'failed'}${retried || ` (attempt ${attempt})`}: ${error}`,
            stepId: act.stepId,
            details: compact(details),
          });
        }
        break;
      }
      case 'TIMER_STARTED': {
        const duration = humanDuration(a.startToFireTimeout);
        const summary = summaryOf(e);
        timers.set(String(a.timerId), { duration, summary });
        const firesAt = new Date(new Date(e.eventTime).getTime() + Number.parseFloat(a.startToFireTimeout ?? '0') * 1000).toISOString();
        push(e, { kind: 'timer.started', title: `Timer started: ${summary ?? duration}`, details: compact({ timerId: a.timerId, duration, firesAt }) });
        break;
      }
      case 'TIMER_FIRED':
      case 'TIMER_CANCELED': {
        const t = timers.get(String(a.timerId));
        const fired = type === 'TIMER_FIRED';
        push(e, {
          kind: fired ? 'timer.fired' : 'timer.cancelled',
          title: `Timer ${fired ? 'fired' : 'cancelled'}${t ? `: ${t.summary ?? t.duration}` : ''}`,
          details: { timerId: a.timerId },
        });
        break;
      }
      case 'WORKFLOW_EXECUTION_SIGNALED': {
        const [arg] = decodeAll(a.input);
        const payload = isObject(arg) ? arg : {};
        if (a.signalName === eventSignal.name) {
          push(e, {
            kind: 'event.received',
            title: `Event '${payload.name ?? '?'}' received`,
            actor: typeof payload.actor === 'string' ? payload.actor : undefined,
            details: compact({ name: payload.name, eventId: payload.eventId, payload: payload.payload }),
          });
        } else if (a.signalName === cancelSignal.name) {
          push(e, {
            kind: 'cancel.requested',
            title: `Cancellation requested${payload.reason ? `: ${payload.reason}` : ''}`,
            actor: typeof payload.actor === 'string' ? payload.actor : undefined,
            details: compact({ reason: payload.reason }),
          });
        } else {
          push(e, { kind: 'signal.received', title: `Signal '${a.signalName}' received`, details: compact({ signal: a.signalName, input: arg }) });
        }
        break;
      }
      case 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED': {
        const req = a.acceptedRequest ?? {};
        const name: string = req.input?.name ?? 'update';
        const args = decodeAll(req.input?.args);
        const input = isObject(args[0]) ? args[0] : {};
        const actor = typeof input.actor?.username === 'string' ? input.actor.username : undefined;
        const updateId = req.meta?.updateId ?? a.protocolInstanceId;
        updates.set(String(e.eventId), { name, args, actor });
        if (updateId) updates.set(`id:${updateId}`, { name, args, actor });
        const title =
          name === completeTaskUpdate.name
            ? `Completion of task ${input.taskId} requested (${input.outcome})`
            : name === claimTaskUpdate.name
              ? `${input.release ? 'Release' : 'Claim'} of task ${input.taskId} requested`
              : `Update '${name}' accepted`;
        push(e, {
          kind: 'update.accepted',
          title,
          actor,
          details: compact({ update: name, updateId, taskId: input.taskId, outcome: input.outcome, data: input.data }),
        });
        break;
      }
      case 'WORKFLOW_EXECUTION_UPDATE_COMPLETED': {
        const u = updates.get(String(a.acceptedEventId)) ?? updates.get(`id:${a.meta?.updateId}`) ?? { name: 'update', args: [] };
        const input = isObject(u.args[0]) ? u.args[0] : {};
        const failure = a.outcome?.failure as FailureJson | undefined;
        if (failure) {
          push(e, {
            kind: 'update.failed',
            title: `Update '${u.name}' failed: ${failureMessage(failure)}`,
            actor: u.actor,
            details: compact({ update: u.name, taskId: input.taskId, error: failureMessage(failure), errorType: failureType(failure) }),
          });
          break;
        }
        const [result] = decodeAll(a.outcome?.success);
        const title =
          u.name === completeTaskUpdate.name
            ? `Task ${input.taskId} completed by ${u.actor ?? '?'}: ${input.outcome}`
            : u.name === claimTaskUpdate.name
              ? `Task ${input.taskId} ${input.release ? 'released' : 'claimed'} by ${u.actor ?? '?'}`
              : `Update '${u.name}' completed`;
        push(e, {
          kind: 'update.completed',
          title,
          actor: u.actor,
          details: compact({ update: u.name, taskId: input.taskId, outcome: input.outcome, result }),
        });
        break;
      }
      case 'START_CHILD_WORKFLOW_EXECUTION_INITIATED': {
        const [input] = decodeAll(a.input);
        const i = isObject(input) ? input : {};
        children.set(String(e.eventId), { workflowType: a.workflowType?.name, workflowId: a.workflowId });
        push(e, {
          kind: 'child.initiated',
          title: `Sub-process ${i.definition?.id ?? a.workflowType?.name ?? ''} starting`,
          details: compact({ workflowId: a.workflowId, definitionId: i.definition?.id, businessKey: i.businessKey }),
        });
        break;
      }
      case 'START_CHILD_WORKFLOW_EXECUTION_FAILED':
        push(e, { kind: 'child.startFailed', title: `Sub-process ${a.workflowId} could not start (${a.cause})`, details: { workflowId: a.workflowId, cause: a.cause } });
        break;
      case 'CHILD_WORKFLOW_EXECUTION_STARTED':
      case 'CHILD_WORKFLOW_EXECUTION_COMPLETED':
      case 'CHILD_WORKFLOW_EXECUTION_FAILED':
      case 'CHILD_WORKFLOW_EXECUTION_CANCELED':
      case 'CHILD_WORKFLOW_EXECUTION_TERMINATED':
      case 'CHILD_WORKFLOW_EXECUTION_TIMED_OUT': {
        const workflowId = a.workflowExecution?.workflowId ?? children.get(String(a.initiatedEventId))?.workflowId;
        const verb = type.slice('CHILD_WORKFLOW_EXECUTION_'.length).toLowerCase().replace('canceled', 'cancelled').replace('timed_out', 'timed out');
        const details: Record<string, unknown> = { workflowId, runId: a.workflowExecution?.runId };
        if (a.failure) details.error = failureMessage(a.failure);
        const kind = { started: 'child.started', completed: 'child.completed', failed: 'child.failed', cancelled: 'child.cancelled', terminated: 'child.terminated', 'timed out': 'child.timedOut' }[verb] ?? `child.${verb}`;
        push(e, { kind, title: `Sub-process ${workflowId} ${verb}${a.failure ? `: ${details.error}` : ''}`, details: compact(details) });
        break;
      }
      case 'WORKFLOW_EXECUTION_CANCEL_REQUESTED':
        push(e, { kind: 'workflow.cancelRequested', title: `Cancellation requested through Temporal${a.cause ? `: ${a.cause}` : ''}`, actor: a.identity || undefined });
        break;
      case 'WORKFLOW_EXECUTION_CONTINUED_AS_NEW':
        push(e, { kind: 'workflow.continuedAsNew', title: 'Continued as new (history compacted)', details: compact({ newRunId: a.newExecutionRunId }) });
        break;
      case 'WORKFLOW_EXECUTION_COMPLETED': {
        const [result] = decodeAll(a.result);
        const r = isObject(result) ? result : {};
        const status = typeof r.status === 'string' ? r.status : 'completed';
        push(e, {
          kind: 'workflow.completed',
          title: `Process ${status}${r.outcome ? `: ${r.outcome}` : ''}`,
          details: compact({ status, outcome: r.outcome ?? undefined }),
        });
        break;
      }
      case 'WORKFLOW_EXECUTION_FAILED':
        push(e, { kind: 'workflow.failed', title: `Process failed: ${failureMessage(a.failure)}`, details: compact({ error: failureMessage(a.failure), errorType: failureType(a.failure) }) });
        break;
      case 'WORKFLOW_EXECUTION_CANCELED':
        push(e, { kind: 'workflow.cancelled', title: 'Process cancelled' });
        break;
      case 'WORKFLOW_EXECUTION_TERMINATED':
        push(e, { kind: 'workflow.terminated', title: `Process terminated${a.reason ? `: ${a.reason}` : ''}`, actor: a.identity || undefined });
        break;
      case 'WORKFLOW_EXECUTION_TIMED_OUT':
        push(e, { kind: 'workflow.timedOut', title: 'Process timed out' });
        break;
      default:
        break;
    }
  }
  return out;
}

const roles = (v: unknown) => (Array.isArray(v) ? v.join(', ') : '');

/** Audit rows (written by the engine activities) as entries; unknown kinds get a generic title. */
export function timelineFromAudit(rows: AuditRow[]): TimelineEntry[] {
  return rows.map((r) => {
    const d = r.details ?? {};
    const actor = r.actor ?? undefined;
    let title: string;
    switch (r.kind) {
      case 'instance.started':
        title = `Instance recorded: ${d.definitionId} v${d.version} (${d.businessKey})`;
        break;
      case 'task.created':
        title = `Task '${d.title}' created for ${roles(d.candidateRoles)}${d.assignee ? `, assigned to ${d.assignee}` : ''}`;
        break;
      case 'task.claimed':
        title = `Task claimed by ${actor}`;
        break;
      case 'task.released':
        title = `Task released by ${actor}`;
        break;
      case 'task.completed':
        title = `Task completed by ${actor}: ${d.outcome}`;
        break;
      case 'task.cancelled':
        title = `Task cancelled${d.reason ? `: ${d.reason}` : ''}`;
        break;
      case 'task.escalated':
        title = `Task escalated to ${roles(d.addRoles)}`;
        break;
      case 'stage.changed':
        title = `Stage: ${d.previous ? `${d.previous} → ` : ''}${d.stage}`;
        break;
      default:
        if (r.kind.startsWith('instance.')) {
          title = `Instance ${r.kind.slice('instance.'.length)}${d.outcome ? `: ${d.outcome}` : ''}${d.reason ? ` (${d.reason})` : ''}`;
        } else {
          title = r.kind.replace(/[._]/g, ' ').replace(/^./, (c) => c.toUpperCase());
        }
    }
    return compact({
      at: toIso(r.at),
      kind: r.kind,
      title,
      source: 'audit' as const,
      actor,
      stepId: r.step_id ?? undefined,
      details: compact({ ...d, taskId: r.task_id ?? undefined }),
    });
  });
}

/** Merges entry lists by time; equal times keep their input order (Temporal first, then audit). */
const TIE_RANK: Record<string, number> = { 'step.entered': 0, 'step.left': 0 };

export function mergeTimeline(...lists: TimelineEntry[][]): TimelineEntry[] {
  return lists
    .flat()
    .map((entry, index) => ({ entry, index, t: Date.parse(entry.at), rank: TIE_RANK[entry.kind] ?? 1 }))
    // At the same millisecond the step trail (kept in its own order) comes first: a step is entered before what it does.
    .sort((x, y) => x.t - y.t || x.rank - y.rank || x.index - y.index)
    .map((x) => x.entry);
}

/**
 * Steps entered and left, from the interpreter's own trail (the `state` query): choice and setStage
 * steps leave no event of their own in the Temporal history.
 */
export function timelineFromTrail(trail: StepVisit[]): TimelineEntry[] {
  return trail.flatMap((v): TimelineEntry[] => {
    const entered: TimelineEntry = {
      at: v.enteredAt,
      kind: 'step.entered',
      title: `Entered ${v.type} step ${v.stepId}`,
      source: 'workflow',
      stepId: v.stepId,
      details: { path: v.path },
    };
    if (!v.leftAt) return [entered];
    const to = v.to?.startsWith('end') ? 'the end' : v.to;
    return [entered, { at: v.leftAt, kind: 'step.left', title: `Left ${v.stepId}${to ? ` for ${to}` : ''}`, source: 'workflow', stepId: v.stepId, details: { to: v.to } }];
  });
}
