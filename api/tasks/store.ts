/** SQL for tasks: the inbox, one task, an instance's tasks. */
import type { Knex } from 'knex';
import type { ProcessDefinition } from '../../workflows/model';
import type { TaskRow } from './present';

export interface TaskFilters {
  status?: 'open' | 'completed' | 'cancelled';
  role?: string;
  assignee?: string;
  processId?: string;
  /** Restrict to tasks these roles may take, or assigned to / completed by this user. Unset: every task (admin). */
  visibleTo?: { username: string; roles: string[] };
  limit: number;
  offset: number;
}

export function createTaskStore(db: Knex) {
  const base = () =>
    db('tasks as t').join('process_instances as p', 'p.id', 't.instance_id');

  return {
    async list(f: TaskFilters): Promise<{ rows: TaskRow[]; total: number }> {
      const where = (q: Knex.QueryBuilder) => {
        if (f.status) q.where('t.status', f.status);
        if (f.role) q.whereRaw('t.candidate_roles @> array[?]::text[]', [f.role]);
        if (f.assignee) q.where('t.assignee', f.assignee);
        if (f.processId) q.where('t.instance_id', f.processId);
        if (f.visibleTo) {
          const { username, roles } = f.visibleTo;
          q.where((w) => {
            w.whereRaw('t.candidate_roles && ?::text[]', [roles]).orWhere('t.assignee', username);
            // An open task has no completer; leaving the arm out lets Postgres combine the role and assignee indexes.
            if (f.status !== 'open') w.orWhere('t.completed_by', username);
          });
        }
        return q;
      };
      const [rows, [{ count }]] = await Promise.all([
        where(base())
          .select('t.*', 'p.definition_id', 'p.business_key')
          // Most urgent first: overdue and soon due, then oldest.
          .orderByRaw('t.due_at asc nulls last, t.created_at asc, t.id asc')
          .limit(f.limit)
          .offset(f.offset),
        // No join: every task has its instance (foreign key), and the join would scan process_instances.
        where(db('tasks as t')).count<{ count: string }[]>({ count: '*' }),
      ]);
      return { rows, total: Number(count) };
    },

    async get(id: string): Promise<TaskRow | null> {
      return (await base().where('t.id', id).first('t.*', 'p.definition_id', 'p.version as definition_version', 'p.business_key', 'p.workflow_id')) ?? null;
    },

    /** The definition version an instance runs (its document kinds, for a completion's checks). */
    async definitionOf(instanceId: string): Promise<ProcessDefinition | null> {
      const row: { definition: ProcessDefinition } | undefined = await db('process_instances as p')
        .join('definition_versions as v', function () {
          this.on('v.definition_id', 'p.definition_id').andOn('v.version', 'p.version');
        })
        .where('p.id', instanceId)
        .first('v.definition');
      return row?.definition ?? null;
    },

    /** The open tasks of these instances (a board page's cards). */
    async openFor(instanceIds: string[]): Promise<TaskRow[]> {
      if (!instanceIds.length) return [];
      return db('tasks').whereIn('instance_id', instanceIds).where({ status: 'open' }).orderBy('created_at');
    },

    /** Every task of one instance, oldest first (the instance is known: no join). */
    async forInstance(instanceId: string): Promise<TaskRow[]> {
      return db('tasks').where({ instance_id: instanceId }).orderBy('created_at');
    },
  };
}
