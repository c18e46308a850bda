/**
 * A process's history for people: the audit trail the engine writes and the interpreter's step
 * trail (the business view), merged by time with Temporal's event history mapped to short entries
 * (added in the technical view; history-mappers.ts). Pure functions: no client, no database.
 */
import { toIso } from '../../lib/time';
import type { StepVisit } from '../../workflows/model';
import { attrsOf, compact, shortEventType, type HistoryJson } from './history-json';
import { mapperFor, newRunMemory } from './history-mappers';

export { historyFromProto, humanDuration, type HistoryEventJson, type HistoryJson } from './history-json';

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

/**
 * business: what happened to the sale (the audit trail and the steps taken); technical: that plus
 * every Temporal event (activities, timers, signals, updates) for whoever debugs the run.
 */
export const TIMELINE_VIEWS = ['business', 'technical'] as const;
export type TimelineView = (typeof TIMELINE_VIEWS)[number];

export interface AuditRow {
  at: Date | string;
  kind: string;
  actor: string | null;
  step_id: string | null;
  task_id: string | null;
  details: Record<string, unknown> | null;
}

/** Maps one run's history, event by event, through the mapper table (history-mappers.ts). Workflow-task, marker and search-attribute events are left out. */
export function timelineFromHistory(history: HistoryJson): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  const run = newRunMemory();
  for (const e of history.events) {
    const entry = mapperFor(shortEventType(e))(attrsOf(e), e, run);
    if (entry) out.push(compact({ at: toIso(e.eventTime), source: 'temporal' as const, ...entry }));
  }
  return out;
}

const roles = (v: unknown) => (Array.isArray(v) ? v.join(', ') : '');
/** `timed_out` → `timed out`. */
const spaced = (s: string) => s.replace(/_/g, ' ');

type AuditTitle = (d: Record<string, any>, actor: string | undefined) => string;

/**
 * Titles of the audit kinds the engine writes (activities/engine, lib/instance-finish.ts,
 * lib/task-incidents.ts, the `event.received` line of workflows/steps/wait.ts): the business trail.
 */
const AUDIT_TITLES: Record<string, AuditTitle> = {
  'instance.started': (d) => `Process started: ${d.definitionId} v${d.version} (${d.businessKey})`,
  'stage.changed': (d) => `Stage: ${d.previous ? `${d.previous} → ` : ''}${d.stage}`,
  'task.created': (d) => `Task '${d.title}' created for ${roles(d.candidateRoles)}${d.assignee ? `, assigned to ${d.assignee}` : ''}`,
  'task.claimed': (_d, actor) => `Task claimed by ${actor}`,
  'task.released': (_d, actor) => `Task released by ${actor}`,
  'task.completed': (d, actor) => `Task completed by ${actor}: ${d.outcome}`,
  'task.cancelled': (d) => `Task cancelled${d.reason ? `: ${d.reason}` : ''}`,
  'task.escalated': (d) => `Task escalated to ${roles(d.addRoles)}`,
  'event.received': (d) => `Event '${d.name}' taken`,
  'incident.raised': (d) => `Incident: ${d.message ?? d.type}`,
  'incident.recovered': () => 'Incident recovered: Temporal retried the workflow task and it went through',
};

/** Kinds of a family no table entry names: `instance.completed`, `incident.retried`… */
function familyTitle(kind: string, d: Record<string, any>, actor: string | undefined): string {
  if (kind.startsWith('instance.')) {
    return `Process ${spaced(kind.slice('instance.'.length))}${d.outcome ? `: ${d.outcome}` : ''}${d.reason ? ` (${d.reason})` : ''}`;
  }
  if (kind.startsWith('incident.')) return `Incident ${spaced(kind.slice('incident.'.length))}${actor ? ` by ${actor}` : ''}`;
  return kind.replace(/[._]/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/** Audit rows (written by the engine activities) as entries; unknown kinds get a generic title. */
export function timelineFromAudit(rows: AuditRow[]): TimelineEntry[] {
  return rows.map((r) => {
    const d = r.details ?? {};
    const actor = r.actor ?? undefined;
    const title = Object.hasOwn(AUDIT_TITLES, r.kind) ? AUDIT_TITLES[r.kind](d, actor) : familyTitle(r.kind, d, actor);
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
