/**
 * Starting, reading, signalling and cancelling process instances. The database row is the index
 * (lists, filters, the running-business-key guard); the workflow is the source of truth for live
 * state, read through its `state` query.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateStage } from '@temporalio/client';
import { ApplicationFailure, defineSearchAttributeKey, type SearchAttributePair, type SearchAttributeType, type SignalDefinition } from '@temporalio/common';
import type { ValidateFunction } from 'ajv';
import { isUniqueViolation } from '../../lib/db';
import { getDefinitionVersion } from '../../lib/definitions/store';
import type { SearchAttributeTypeName } from '../../lib/config';
import { cancelSignal, deliverEventUpdate, eventSignal, INTERPRETER_WORKFLOW, stateQuery, type InterpreterInput } from '../../workflows/messages';
import { eventNames, stepsById } from '../../workflows/definition';
import type { DefinitionVersion, InstanceState } from '../../workflows/model';
import { canStart } from '../../workflows/policy';
import type { AppDeps } from '../deps';
import { conflict, forbidden, HttpError, invalidFields, notFound, problemsFromAjv, unprocessable } from '../errors';
import { ajv, type ListProcessesQuery, type StartProcessBody } from '../schemas';
import { definitionNotDeployed } from '../definitions/service';
import { presentTask } from '../tasks/present';
import { createTaskStore } from '../tasks/store';
import { toHttpError } from '../temporal-errors';
import type { SessionUser } from '../types';
import { createProcessStore, type InstanceRow } from './store';
import { createInstanceVisibility } from './visibility';
import { toIso as iso } from '../../lib/time';
import { historyFromProto, mergeTimeline, timelineFromAudit, timelineFromTrail, timelineFromHistory, type HistoryJson, type TimelineEntry, type TimelineView } from './timeline';

const QUERY_TIMEOUT_MS = 3_000;
/** Runs followed back through continue-as-new when building a timeline. */
const MAX_RUNS_IN_TIMELINE = 50;

const SA_TYPE: Record<SearchAttributeTypeName, SearchAttributeType> = {
  Text: 'TEXT',
  Keyword: 'KEYWORD',
  Int: 'INT',
  Double: 'DOUBLE',
  Bool: 'BOOL',
  Datetime: 'DATETIME',
  KeywordList: 'KEYWORD_LIST',
};

function presentInstance(r: InstanceRow) {
  return {
    id: r.id,
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

/** The type of the first ApplicationFailure along an error's causes (e.g. `EmailTaken`), or null. */
function applicationFailureType(err: unknown): string | null {
  for (let e: unknown = err; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if (e instanceof ApplicationFailure && e.type) return e.type;
  }
  return null;
}

export function createProcessService({ db, temporal, config }: AppDeps) {
  const store = createProcessStore(db);
  const taskStore = createTaskStore(db);
  const visibility = createInstanceVisibility(db);
  const validators = new Map<string, ValidateFunction>();

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

  /** Typed search attributes for the ones configured on the server (config.temporal.searchAttributes). */
  function searchAttributes(dv: DefinitionVersion, businessKey: string): SearchAttributePair[] {
    const wanted: Record<string, string> = { CauceDefinitionId: dv.id, CauceBusinessKey: businessKey, CauceStatus: 'running' };
    const pairs: SearchAttributePair[] = [];
    for (const [name, value] of Object.entries(wanted)) {
      const type = config.temporal.searchAttributes[name];
      if (type === 'Keyword' || type === 'Text') pairs.push({ key: defineSearchAttributeKey(name, SA_TYPE[type]), value } as SearchAttributePair);
      else if (type === 'KeywordList') pairs.push({ key: defineSearchAttributeKey(name, 'KEYWORD_LIST'), value: [value] } as SearchAttributePair);
    }
    return pairs;
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
  async function requireRunning(id: string): Promise<void> {
    const row = await requireInstance(id);
    if (row.status !== 'running') throw conflict('not_running', `Process ${id} is ${row.status}`, { id, status: row.status });
  }

  async function signalRunning<Args extends unknown[]>(id: string, signal: SignalDefinition<Args>, ...args: Args): Promise<void> {
    await requireRunning(id);
    try {
      await temporal.workflow.getHandle(id).signal(signal, ...args);
    } catch (err) {
      throw toHttpError(err, id);
    }
  }

  async function liveState(id: string): Promise<InstanceState | null> {
    try {
      const handle = temporal.workflow.getHandle(id);
      return await temporal.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.query(stateQuery));
    } catch {
      // Not started yet, no worker to answer, or the history is gone: the database row is the answer.
      return null;
    }
  }

  /** Fetches the run history, then follows continue-as-new back to the first run. */
  async function histories(id: string): Promise<HistoryJson[]> {
    const out: HistoryJson[] = [];
    let runId: string | undefined;
    for (let i = 0; i < MAX_RUNS_IN_TIMELINE; i++) {
      const history = await temporal.workflow.getHandle(id, runId).fetchHistory();
      const json = historyFromProto(history);
      out.unshift(json);
      const started = json.events?.[0]?.workflowExecutionStartedEventAttributes;
      runId = started?.continuedExecutionRunId || undefined;
      if (!runId) break;
    }
    return out;
  }

  return {
    /**
     * Starts an instance. `POST /api/processes` needs a role in the definition's `starters` (403
     * otherwise: definitions are no secret). `internal`: a feature API (sign-up, upgrades, leads) starts
     * it on the caller's behalf after its route checked their roles, so `starters` is not consulted.
     */
    async start(user: SessionUser, body: StartProcessBody, { internal = false }: { internal?: boolean } = {}) {
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

      const id = randomUUID();
      try {
        await store.insertRunning({ id, definitionId: dv.id, version: dv.version, businessKey: body.businessKey, variables: body.variables, startedBy: user.username });
      } catch (err) {
        if (isUniqueViolation(err)) {
          const existing = await store.findRunning([dv.id], body.businessKey);
          throw conflict('duplicate_business_key', `A running ${dv.id} process already has business key ${body.businessKey}`, {
            definitionId: dv.id,
            businessKey: body.businessKey,
            runningId: existing?.id ?? null,
          });
        }
        throw err;
      }

      const input: InterpreterInput = {
        instanceId: id,
        definition: dv,
        businessKey: body.businessKey,
        variables: body.variables,
        startedBy: user.username,
        options: { searchAttributes: true, continueAsNewAfterEvents: config.temporal.continueAsNewAfterEvents },
      };
      try {
        await temporal.workflow.start(INTERPRETER_WORKFLOW, {
          taskQueue: config.temporal.taskQueue,
          workflowId: id,
          args: [input],
          typedSearchAttributes: searchAttributes(dv, body.businessKey),
        });
      } catch (err) {
        await store.delete(id);
        const mapped = toHttpError(err, id);
        throw mapped instanceof HttpError ? mapped : new HttpError(503, 'temporal_unavailable', `Could not start the workflow: ${(err as Error).message}`, { id });
      }
      return { id, definitionId: dv.id, version: dv.version, businessKey: body.businessKey };
    },

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
          ? `http://127.0.0.1:${config.temporal.devServer.uiPort}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(id)}`
          : undefined;
      const base = { ...presentInstance(row), variables: row.variables };
      const state = await liveState(id);
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
      const tasks = (await taskStore.forInstance(id)).map((t) => presentTask(t));
      return { ...base, live: false, tasks, ...(temporalUiUrl ? { temporalUiUrl } : {}) };
    },

    /** The business trail (audit + steps); the technical view adds the Temporal history of every run. */
    async history(user: SessionUser, id: string, view: TimelineView = 'business'): Promise<{ view: TimelineView; items: TimelineEntry[] }> {
      await requireVisible(user, id);
      const temporalTimeline = async (): Promise<TimelineEntry[]> => {
        try {
          return (await histories(id)).flatMap(timelineFromHistory);
        } catch (err) {
          const mapped = toHttpError(err, id);
          // The workflow may not exist (anymore) in Temporal, e.g. past retention: the audit trail still tells the story.
          if (!(mapped instanceof HttpError) || mapped.code !== 'not_running') throw mapped;
          return [];
        }
      };
      // Independent reads: side by side, the slowest one (a long history, a query replaying it) sets the time.
      const [temporalEntries, auditRows, state] = await Promise.all([view === 'technical' ? temporalTimeline() : [], store.audit(id), liveState(id)]);
      return { view, items: mergeTimeline(temporalEntries, timelineFromAudit(auditRows), timelineFromTrail(state?.trail ?? [])) };
    },

    /**
     * Why a failed instance failed. Its row keeps the message (`end_reason`, written by
     * engine.finishInstance) but not the error's type: that comes from the workflow's failure in
     * Temporal (null when Temporal does not tell in time).
     */
    async failure(id: string): Promise<{ type: string | null; message: string }> {
      const row = await requireInstance(id);
      let type: string | null = null;
      try {
        await temporal.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => temporal.workflow.getHandle(id).result());
      } catch (err) {
        type = applicationFailureType(err);
      }
      return { type, message: row.end_reason ?? `process ${id} is ${row.status}` };
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

    /**
     * Delivers an event the process must take now (deliverEventUpdate): 409 EventNotAwaited when no
     * current step waits for it, so the caller (e.g. the store's webhook) retries instead of believing it.
     */
    async deliverEvent(user: SessionUser, id: string, name: string, eventId: string, payload: Record<string, unknown>) {
      await requireRunning(id);
      const handle = temporal.workflow.getHandle(id);
      try {
        const update = await handle.startUpdate(deliverEventUpdate, {
          args: [{ name, eventId, payload, actor: user.username }],
          waitForStage: WorkflowUpdateStage.ACCEPTED,
        });
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new HttpError(504, 'event_pending', `Process ${id} has the ${name} event but has not taken it yet; send it again with the same id to learn the outcome`, { id, eventId })),
            config.http.timeouts.eventDeliveryMs,
          );
        });
        try {
          return await Promise.race([update.result(), timedOut]);
        } finally {
          clearTimeout(timer);
        }
      } catch (err) {
        throw toHttpError(err, id);
      }
    },

    async cancel(user: SessionUser, id: string, reason: string) {
      await signalRunning(id, cancelSignal, { reason, actor: user.username });
      return { accepted: true, id };
    },
  };
}

export type ProcessService = ReturnType<typeof createProcessService>;
