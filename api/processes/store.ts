/** SQL for process instances and their audit trail. */
import type { Knex } from 'knex';
import type { InstanceListScope } from '../../workflows/policy';
import type { ClosedStatus } from '../../lib/instance-finish';
import type { FinalState } from '../../workflows/model';
import type { AuditRow } from './timeline';

export interface InstanceRow {
  /** The first run id of its workflow chain (or, for instances started before, its workflow id). */
  id: string;
  workflow_id: string;
  definition_id: string;
  version: number;
  business_key: string;
  status: 'running' | ClosedStatus;
  stage: string | null;
  outcome: string | null;
  end_reason: string | null;
  variables: Record<string, unknown>;
  /** Written when the interpreter ends the instance (migration 010); null while running. */
  final_state: FinalState | null;
  started_by: string;
  started_at: Date;
  ended_at: Date | null;
  updated_at: Date;
}

export interface InstanceFilters {
  definitionId?: string;
  version?: number;
  status?: string;
  stage?: string;
  businessKey?: string;
  /** Which instances the caller may see (workflows/policy.ts); unset: all. */
  scope?: InstanceListScope;
  limit: number;
  offset: number;
}

/** Only the instances the scope shows (workflows/policy.ts instanceListScope). */
function inScope(q: Knex.QueryBuilder, scope: InstanceListScope): Knex.QueryBuilder {
  if (scope.all) return q;
  return q.where((w) => {
    w.where('started_by', scope.startedBy);
    if (scope.versions.length) w.orWhereIn(['definition_id', 'version'], scope.versions.map((v) => [v.definitionId, v.version]));
  });
}

export function createProcessStore(db: Knex) {
  return {
    /** The running instance of one of `definitions` with this business key (the newest), or null. */
    async findRunning(definitions: readonly string[], businessKey: string): Promise<{ id: string; workflow_id: string; definition_id: string } | null> {
      return (await db('process_instances')
        .where({ business_key: businessKey, status: 'running' })
        .whereIn('definition_id', definitions)
        .orderBy('started_at', 'desc')
        .first('id', 'workflow_id', 'definition_id')) ?? null;
    },

    /** Whether any instance, running or ended, has this business key. */
    async anyFor(businessKey: string): Promise<boolean> {
      return Boolean(await db('process_instances').where({ business_key: businessKey }).first('id'));
    },

    async get(id: string): Promise<InstanceRow | null> {
      return (await db<InstanceRow>('process_instances').where({ id }).first()) ?? null;
    },

    async list(f: InstanceFilters): Promise<{ rows: InstanceRow[]; total: number }> {
      const where = (q: Knex.QueryBuilder) => {
        if (f.definitionId) q.where('definition_id', f.definitionId);
        if (f.version) q.where('version', f.version);
        if (f.status) q.where('status', f.status);
        if (f.stage) q.where('stage', f.stage);
        if (f.businessKey) q.where('business_key', f.businessKey);
        return f.scope ? inScope(q, f.scope) : q;
      };
      const [rows, [{ count }]] = await Promise.all([
        where(db('process_instances'))
          .select('id', 'workflow_id', 'definition_id', 'version', 'business_key', 'status', 'stage', 'outcome', 'end_reason', 'started_by', 'started_at', 'ended_at', 'updated_at')
          .orderBy([{ column: 'started_at', order: 'desc' }, { column: 'id', order: 'desc' }])
          .limit(f.limit)
          .offset(f.offset),
        where(db('process_instances')).count<{ count: string }[]>({ count: '*' }),
      ]);
      return { rows, total: Number(count) };
    },

    /** Running instances of a definition per stage: a board's column counts. */
    async stageCounts(definitionId: string, scope: InstanceListScope): Promise<Map<string, number>> {
      const rows: Array<{ stage: string | null; count: string }> = await inScope(db('process_instances'), scope)
        .where({ definition_id: definitionId, status: 'running' })
        .groupBy('stage')
        .select('stage')
        .count({ count: '*' });
      return new Map(rows.map((r) => [r.stage ?? '', Number(r.count)]));
    },

    /**
     * One page of a board's column: running instances in `stage`, newest first, after the cursor
     * (keyset on started_at and id, so a page costs the same wherever it is; index of migration 035).
     */
    async stagePage(definitionId: string, stage: string, scope: InstanceListScope, after: { startedAt: string; id: string } | null, limit: number): Promise<Array<InstanceRow & { started_at_exact: string }>> {
      const q = inScope(db('process_instances'), scope).where({ definition_id: definitionId, status: 'running', stage });
      if (after) q.whereRaw('(started_at, id) < (?::timestamptz, ?)', [after.startedAt, after.id]);
      return q
        // The cursor keeps the microseconds Postgres stores: instances started in one millisecond (an import) are not skipped.
        .select('id', 'definition_id', 'version', 'business_key', 'status', 'stage', 'variables', 'started_by', 'started_at', 'updated_at', db.raw(`to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as started_at_exact`))
        .orderBy([{ column: 'started_at', order: 'desc' }, { column: 'id', order: 'desc' }])
        .limit(limit);
    },

    async audit(instanceId: string): Promise<AuditRow[]> {
      return db('audit_events').where({ instance_id: instanceId }).orderBy([{ column: 'at' }, { column: 'id' }]).select('at', 'kind', 'actor', 'step_id', 'task_id', 'details');
    },
  };
}
