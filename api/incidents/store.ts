/** SQL of the `incidents` table, as the API reads it (the worker's activities write it). */
import type { Knex } from 'knex';

export interface IncidentRow {
  id: string;
  instance_id: string;
  source: 'step' | 'workflow-task';
  step_id: string | null;
  type: string;
  message: string;
  path: string | null;
  file: string | null;
  line: number | null;
  column: number | null;
  status: 'open' | 'resolved';
  resolution: string | null;
  resolved_by: string | null;
  raised_at: Date;
  resolved_at: Date | null;
  definition_id: string;
  business_key: string;
  workflow_id: string;
}

const COLUMNS = ['i.*', 'p.definition_id', 'p.business_key', 'p.workflow_id'];

export function createIncidentStore(db: Knex) {
  const base = () => db('incidents as i').join('process_instances as p', 'p.id', 'i.instance_id');
  return {
    async list(filter: { status?: 'open' | 'resolved'; processId?: string; limit: number; offset: number }): Promise<{ rows: IncidentRow[]; total: number }> {
      const where = (q: Knex.QueryBuilder) => {
        if (filter.status) q.where('i.status', filter.status);
        if (filter.processId) q.where('i.instance_id', filter.processId);
        return q;
      };
      const [rows, [{ count }]] = await Promise.all([
        where(base()).select(COLUMNS).orderBy('i.raised_at', 'desc').limit(filter.limit).offset(filter.offset),
        where(base()).count<{ count: string }[]>('* as count'),
      ]);
      return { rows, total: Number(count) };
    },

    async get(id: string): Promise<IncidentRow | undefined> {
      return base().where('i.id', id).first(COLUMNS);
    },
  };
}

export type IncidentStore = ReturnType<typeof createIncidentStore>;
