/**
 * Starting, reading, signalling and cancelling process instances. The database row is the index
 * (lists, filters, the running-business-key guard); the workflow is the source of truth for live
 * state, read through its `state` query.
 */
import { randomUUID } from 'node:crypto';
import type { SignalDefinition } from '@temporalio/common';
import type { ValidateFunction } from 'ajv';
import { getDefinitionVersion } from '../../lib/definitions/store';
import { cancelSignal, eventSignal, stateQuery, type MessageInput } from '../../workflows/messages';
import { assigneePaths } from '../../workflows/assignees';
import { eventNames, stepsById } from '../../workflows/definition';
import { existingUsernames } from '../../lib/users';
import type { DefinitionVersion, InstanceState } from '../../workflows/model';
import { canStart } from '../../workflows/policy';
import type { AppDeps } from '../deps';
import { conflict, forbidden, HttpError, invalidFields, notFound, problemsFromAjv, unprocessable } from '../errors';
import { ajv } from '../schemas';
import type { ListProcessesQuery, StartProcessBody } from './schemas';
import { definitionNotDeployed } from '../definitions/service';
import { presentTask } from '../tasks/present';
import { createTaskStore } from '../tasks/store';
import { toHttpError } from '../temporal-errors';
import type { SessionUser } from '../types';
import { createProcessStore, type InstanceRow } from './store';
import { createInstanceVisibility } from './visibility';
import { createInstanceClient, type Opened } from './instance-client';
import { toIso as iso } from '../../lib/time';
import { historyFromProto, mergeTimeline, timelineFromAudit, timelineFromTrail, timelineFromHistory, type HistoryJson, type TimelineEntry, type TimelineView } from './timeline';

const QUERY_TIMEOUT_MS = 3_000;
/** Runs followed back through continue-as-new when building a timeline. */
const MAX_RUNS_IN_TIMELINE = 50;

function presentInstance(r: InstanceRow) {
  return {
    id: r.id,
    workflowId: r.workflow_id,
    definitionId: r.definition_id,
    version: r.version,
    businessKey: r.business_key,
    status: r.status,
    stage: r.stage,
    outcome: r.outcome,
    endReason: r.end_reason,
    startedBy: r.started_by,
    startedAt: iso(r.started_at)!,
    endedAt: iso(r.ended_at),
    updatedAt: iso(r.updated_at)!,
  };
}

export function createProcessService({ db, temporal, config }: AppDeps) {
  const store = createProcessStore(db);
  const taskStore = createTaskStore(db);
  const visibility = createInstanceVisibility(db);
  const validators = new Map<string, ValidateFunction>();
  const instances = createInstanceClient(temporal, config);

  /** Compiled once per definition version (versions are immutable). */
  function variablesValidator(dv: DefinitionVersion): ValidateFunction {
    const key = `${dv.id}@${dv.version}`;
    let validate = validators.get(key);
    if (!validate) {
      const { $id: _ignored, ...schema } = dv.definition.variables as Record<string, unknown>;
      try {
        validate = ajv.compile(schema);
      } catch (err) {
        // A version deployed before patterns ran on RE2 may hold one RE2 cannot run (a lookahead…).
        throw unprocessable('unusable_definition', `${dv.id} v${dv.version} has a variables schema that cannot be checked: ${(err as Error).message}; deploy a fixed version`);
      }
      validators.set(key, validate);
    }
    return validate;
  }

  async function requireInstance(id: string): Promise<InstanceRow> {
    const row = await store.get(id);
    if (!row) throw notFound(`Process ${id} not found`, { id });
    return row;
  }

  /** The instance, or 404 when it does not exist or the caller may not see it (the same answer). */
  async function requireVisible(user: SessionUser, id: string): Promise<InstanceRow> {
    const row = await store.get(id);
    if (!row || !(await visibility.canSee(user, row))) throw notFound(`Process ${id} not found`, { id });
    return row;
  }

  /** 404 unless the instance exists, 409 unless it is running. */
  async function requireRunning(id: string): Promise<InstanceRow> {
    const row = await requireInstance(id);
    if (row.status !== 'running') throw conflict('not_running', `Process ${id} is ${row.status}`, { id, status: row.status });
    return row;
  }

  async function signalRunning<Args extends unknown[]>(id: string, signal: SignalDefinition<Args>, ...args: Args): Promise<void> {
    const row = await requireRunning(id);
    try {
      await instances.handle(row).signal(signal, ...args);
    } catch (err) {
      throw toHttpError(err, id);
    }
  }

  /** 422 naming the variable when a task would be assigned, from the start variables, to someone who is not a user. */
  async function refuseUnknownAssignees(dv: DefinitionVersion, variables: Record<string, unknown>): Promise<void> {
    const assigned = assigneePaths(dv.definition.steps).flatMap(({ stepId, path }) => {
      const value = path.reduce<unknown>((v, name) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[name] : undefined), variables);
      return typeof value === 'string' && value ? [{ stepId, field: path.join('.'), username: value }] : [];
    });
    const users = await existingUsernames(db, [...new Set(assigned.map((a) => a.username))]);
    const unknown = new Map<string, { username: string; steps: string[] }>();
    for (const a of assigned.filter((x) => !users.has(x.username))) {
      const entry = unknown.get(a.field) ?? { username: a.username, steps: [] };
      entry.steps.push(a.stepId);
      unknown.set(a.field, entry);
    }
    if (!unknown.size) return;
    throw invalidFields(
      'unknown_assignee',
      'variables',
      [...unknown].map(([field, { username, steps }]) => ({ field, message: `there is no user "${username}" (the tasks of ${steps.join(', ')} would be assigned to them)` })),
    );
  }

  async function liveState(row: InstanceRow): Promise<InstanceState | null> {
    try {
      const handle = instances.handle(row);
      const state = await temporal.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.query<InstanceState>(stateQuery));
      // A query goes to the workflow id's latest run: a later instance with the same business key is not this one.
      return state.instanceId === row.id ? state : null;
    } catch {
      // Not started yet, no worker to answer, or the history is gone: the database row is the answer.
      return null;
    }
  }

  /** The history of each run of the instance's chain, first run first (continue-as-new is followed forward). */
  async function histories(row: InstanceRow): Promise<HistoryJson[]> {
    const out: HistoryJson[] = [];
    let runId: string | undefined = row.workflow_id === row.id ? undefined : row.id;
    if (!runId) {
      // Started before business-key ids: its workflow id is its own, so the chain's first run is described there.
      const { raw } = await temporal.workflow.getHandle(row.id).describe();
      runId = raw.workflowExecutionInfo?.firstRunId || undefined;
    }
    for (let i = 0; i < MAX_RUNS_IN_TIMELINE; i++) {
      const json = historyFromProto(await temporal.workflow.getHandle(row.workflow_id, runId).fetchHistory());
      out.push(json);
      const last = json.events?.[json.events.length - 1];
      runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId || undefined;
      if (!runId) break;
    }
    return out;
  }

  /**
   * The one way an instance is started or reached by business key: the variables are checked
   * against the version's schema, then one update-with-start carries `message`. `internal`: a
   * feature API (sign-up, upgrades, leads) acts on the caller's behalf after its route checked their
   * roles, so `starters` is not consulted. `ifRunning: 'USE_EXISTING'` delivers the message to the
   * running instance as its `event` instead of refusing with 409.
   */
  async function open(
    user: SessionUser,
    body: StartProcessBody,
    message: MessageInput,
    { internal = false, ifRunning = 'FAIL', waitMs = config.http.timeouts.eventDeliveryMs }: { internal?: boolean; ifRunning?: 'FAIL' | 'USE_EXISTING'; waitMs?: number } = {},
  ): Promise<{ dv: DefinitionVersion; opened: Opened }> {
    const dv = await getDefinitionVersion(db, body.definitionId, body.version);
    if (!dv) {
      throw notFound(definitionNotDeployed(body.definitionId, body.version), { definitionId: body.definitionId, version: body.version ?? null });
    }
    if (!internal && !canStart(user, dv.definition)) {
      const starters = dv.definition.starters ?? [];
      throw forbidden(
        `${dv.id} may be started by ${[...starters, 'admin'].join(', ')}; you have ${user.roles.join(', ') || 'no roles'}`,
        { definitionId: dv.id, starters },
        'not_a_starter',
      );
    }
    const validate = variablesValidator(dv);
    // Validate a copy: defaults in the definition's schema must not silently change the input.
    if (!validate(structuredClone(body.variables))) {
      throw unprocessable('invalid_variables', `The variables do not match ${dv.id} v${dv.version}`, problemsFromAjv('variables', validate.errors));
    }
    await refuseUnknownAssignees(dv, body.variables);
    const opened = await instances.open({
      definition: dv,
      businessKey: body.businessKey,
      variables: body.variables,
      startedBy: user.username,
      message,
      ifRunning,
      waitMs,
    });
    return { dv, opened };
  }

  return {
    /**
     * Starts an instance. `POST /api/processes` needs a role in the definition's `starters` (403
     * otherwise: definitions are no secret). Answers once the instance is recorded and every path
     * waits (or it ended), or when the wait runs out (status running).
     */
    async start(user: SessionUser, body: StartProcessBody) {
      const { dv, opened } = await open(user, body, { messageId: `start:${randomUUID()}`, actor: user.username });
      return {
        id: opened.instanceId,
        workflowId: instances.workflowIdOf(dv.id, body.businessKey),
        definitionId: dv.id,
        version: dv.version,
        businessKey: body.businessKey,
        status: opened.pending ? 'running' : opened.status,
      };
    },

    open,

    /** Only the instances the caller may see (workflows/policy.ts), with the same filters and totals. */
    async list(user: SessionUser, q: ListProcessesQuery) {
      const { rows, total } = await store.list({ ...q, scope: await visibility.listScope(user) });
      return { items: rows.map(presentInstance), total, limit: q.limit, offset: q.offset };
    },

    /** The row merged with the workflow's own state when the query answers. */
    async get(user: SessionUser, id: string) {
      const row = await requireVisible(user, id);
      // The embedded dev server's Web UI; a configured (external) server's UI address is unknown.
      const temporalUiUrl =
        config.temporal.address === null
          ? `http://127.0.0.1:${config.temporal.devServer.uiPort}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(row.workflow_id)}${row.workflow_id === row.id ? '' : `/${row.id}`}`
          : undefined;
      const base = { ...presentInstance(row), variables: row.variables };
      // Once it is not live, its tasks are its rows: each with how it ended.
      const taskRows = async () => (await taskStore.forInstance(id)).map((t) => presentTask(t));
      // Ended by the interpreter: the row holds its last state, so no worker has to replay the closed
      // workflow to answer a query.
      if (row.status !== 'running' && row.final_state) {
        const { variables, stageHistory, runs } = row.final_state;
        return { ...base, live: false, variables, stageHistory, runs, currentSteps: [], tasks: await taskRows(), incidents: [], parkedEvents: [], ...(temporalUiUrl ? { temporalUiUrl } : {}) };
      }
      const state = await liveState(row);
      if (state) {
        // Closed behind the interpreter's back (terminated, timed out): a closed workflow still answers
        // queries with its last state, which says running with open tasks; the reconciled row has the truth.
        const stale = row.status !== 'running' && state.status === 'running';
        return {
          ...base,
          live: true,
          status: stale ? row.status : state.status,
          outcome: stale ? row.outcome : state.outcome,
          stage: state.stage,
          stageHistory: state.stageHistory,
          variables: state.variables,
          currentSteps: stale ? [] : state.currentSteps,
          tasks: stale ? [] : state.tasks,
          runs: state.runs,
          incidents: state.incidents ?? [],
          parkedEvents: state.parkedEvents ?? [],
          ...(temporalUiUrl ? { temporalUiUrl } : {}),
        };
      }
      return { ...base, live: false, tasks: await taskRows(), ...(temporalUiUrl ? { temporalUiUrl } : {}) };
    },

    /** The business trail (audit + steps); the technical view adds the Temporal history of every run. */
    async history(user: SessionUser, id: string, view: TimelineView = 'business'): Promise<{ view: TimelineView; items: TimelineEntry[] }> {
      const row = await requireVisible(user, id);
      const temporalTimeline = async (): Promise<TimelineEntry[]> => {
        try {
          return (await histories(row)).flatMap(timelineFromHistory);
        } catch (err) {
          const mapped = toHttpError(err, id);
          // The workflow may not exist (anymore) in Temporal, e.g. past retention: the audit trail still tells the story.
          if (!(mapped instanceof HttpError) || mapped.code !== 'not_running') throw mapped;
          return [];
        }
      };
      // Independent reads: side by side, the slowest one (a long history, a query replaying it) sets the time.
      const [temporalEntries, auditRows, state] = await Promise.all([view === 'technical' ? temporalTimeline() : [], store.audit(id), liveState(row)]);
      return { view, items: mergeTimeline(temporalEntries, timelineFromAudit(auditRows), timelineFromTrail(state?.trail ?? [])) };
    },

    async sendEvent(user: SessionUser, id: string, name: string, eventId: string, payload: Record<string, unknown> | undefined) {
      const row = await requireInstance(id);
      const version = await getDefinitionVersion(db, row.definition_id, row.version);
      const known = version ? [...new Set(Object.values(stepsById(version.definition.steps)).flatMap(eventNames))].sort() : [];
      if (!known.includes(name)) {
        throw invalidFields(
          'unknown_event',
          'params',
          [{ field: 'name', message: known.length ? `must be one of ${known.join(', ')}` : `${row.definition_id} takes no events` }],
          `${row.definition_id} v${row.version} takes no event called ${name}`,
        );
      }
      await signalRunning(id, eventSignal, { name, eventId, payload: payload ?? {}, actor: user.username });
      return { accepted: true, id, eventId };
    },

    async cancel(user: SessionUser, id: string, reason: string) {
      await signalRunning(id, cancelSignal, { reason, actor: user.username });
      return { accepted: true, id };
    },
  };
}

export type ProcessService = ReturnType<typeof createProcessService>;
