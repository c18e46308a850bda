/**
 * Incidents for operators: list them, and act on one. A step incident is retried through the
 * workflow's `resolveIncident` update (the workflow records who did it); cancel goes through the
 * instance's cancel, so its onCancel path runs; terminate asks Temporal to end the workflow at once.
 */
import { instanceHandle } from '../../lib/temporal';
import { reconcileInstance } from '../../lib/reconcile';
import { resolveIncidentUpdate } from '../../workflows/messages';
import { toIso as iso } from '../../lib/time';
import type { AppDeps } from '../deps';
import { conflict, notFound } from '../errors';
import type { ProcessService } from '../processes/service';
import type { ListIncidentsQuery } from './schemas';
import { toHttpError } from '../temporal-errors';
import type { SessionUser } from '../types';
import { createIncidentStore, type IncidentRow } from './store';

export function presentIncident(r: IncidentRow) {
  return {
    id: r.id,
    processId: r.instance_id,
    definitionId: r.definition_id,
    businessKey: r.business_key,
    source: r.source,
    stepId: r.step_id,
    type: r.type,
    message: r.message,
    location: r.path ? { path: r.path, file: r.file, line: r.line, column: r.column } : null,
    status: r.status,
    resolution: r.resolution,
    resolvedBy: r.resolved_by,
    raisedAt: iso(r.raised_at)!,
    resolvedAt: iso(r.resolved_at),
  };
}

export function createIncidentService(deps: AppDeps, processes: ProcessService) {
  const store = createIncidentStore(deps.db);

  async function requireOpen(id: string): Promise<IncidentRow> {
    const row = await store.get(id);
    if (!row) throw notFound(`Incident ${id} not found`, { id });
    if (row.status !== 'open') throw conflict('incident_resolved', `Incident ${id} was already resolved (${row.resolution})`, { id, resolution: row.resolution });
    return row;
  }

  return {
    async list(query: ListIncidentsQuery) {
      const limit = query.limit ?? 50;
      const offset = query.offset ?? 0;
      const status = query.status === 'all' ? undefined : (query.status ?? 'open');
      const { rows, total } = await store.list({ status, processId: query.processId, limit, offset });
      return { items: rows.map(presentIncident), total, limit, offset };
    },

    async get(id: string) {
      const row = await store.get(id);
      if (!row) throw notFound(`Incident ${id} not found`, { id });
      return presentIncident(row);
    },

    /** Runs the stopped step again (after, say, the variables or a deployed fix changed what it reads). */
    async retry(user: SessionUser, id: string) {
      const row = await requireOpen(id);
      if (row.source !== 'step') {
        throw conflict('retried_by_temporal', 'Temporal retries a failing workflow task by itself; deploy a fixed worker, or cancel or terminate the instance', { id });
      }
      try {
        await instanceHandle(deps.temporal, { id: row.instance_id, workflow_id: row.workflow_id }).executeUpdate(resolveIncidentUpdate, {
          args: [{ incidentId: id, actor: { username: user.username, roles: user.roles } }],
        });
      } catch (err) {
        throw toHttpError(err, row.instance_id);
      }
      return presentIncident((await store.get(id))!);
    },

    /**
     * Ends the instance at once, in Temporal (no onCancel path runs: the one way out of a workflow
     * whose task keeps failing); the projection, its tasks and its incidents follow in the same call.
     */
    async terminate(user: SessionUser, id: string, reason: string | undefined) {
      const row = await requireOpen(id);
      const why = `${reason ?? `incident ${id}`} (terminated by ${user.username})`;
      try {
        await instanceHandle(deps.temporal, { id: row.instance_id, workflow_id: row.workflow_id }).terminate(why);
      } catch (err) {
        throw toHttpError(err, row.instance_id);
      }
      const report = await reconcileInstance(deps.db, deps.temporal, row.instance_id, { actor: user.username });
      return { accepted: true, id: row.instance_id, status: report.changed[0]?.status ?? 'terminated' };
    },

    async cancel(user: SessionUser, id: string, reason: string | undefined) {
      const row = await requireOpen(id);
      await processes.cancel(user, row.instance_id, reason ?? `incident ${id}: cancelled by an operator`);
      return { accepted: true, id: row.instance_id };
    },
  };
}

export type IncidentService = ReturnType<typeof createIncidentService>;
