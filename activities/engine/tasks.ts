/**
 * Human tasks: the inbox rows. The workflow decides (its update validators reject bad claims and
 * completions); these activities mirror each decision into `tasks` + `audit_events`, idempotently.
 */
import type { Knex } from 'knex';
import { ApplicationFailure } from '@temporalio/common';
import type { EngineActivities } from '../context';
import { TaskErrors } from '../../workflows/messages';
import { writeAudit, type AuditLine } from './audit';

type TaskActivities = Pick<
  EngineActivities,
  'engine.createTask' | 'engine.claimTask' | 'engine.completeTask' | 'engine.cancelTask' | 'engine.escalateTask'
>;

export function createTaskActivities({ db }: { db: Knex }): TaskActivities {
  return {
    async 'engine.createTask'(t) {
      await db.transaction(async (trx) => {
        await trx('tasks')
          .insert({
            id: t.taskId,
            instance_id: t.instanceId,
            step_id: t.stepId,
            title: t.title,
            candidate_roles: t.candidateRoles,
            assignee: t.assignee,
            claimed_at: t.assignee ? trx.fn.now() : null,
            status: 'open',
            outcomes: t.outcomes,
            form: t.form === null ? null : JSON.stringify(t.form),
            due_at: t.dueAt,
          })
          .onConflict('id')
          .ignore();
        await writeAudit(trx, {
          key: `${t.taskId}:created`,
          instanceId: t.instanceId,
          taskId: t.taskId,
          stepId: t.stepId,
          kind: 'task.created',
          actor: 'system',
          details: { title: t.title, candidateRoles: t.candidateRoles, assignee: t.assignee, dueAt: t.dueAt },
        });
      });
    },

    async 'engine.claimTask'(c) {
      await db.transaction(async (trx) => {
        const task = await trx('tasks').where({ id: c.taskId }).forUpdate().first('instance_id', 'step_id', 'status');
        if (!task) throw notFound(c.taskId);
        // A closed task keeps its last assignee: a late claim replay must not rewrite history.
        if (task.status !== 'open') return;
        // The audit line goes first and gates the update (as in setStage): claims and releases run as
        // concurrent updates, so a retried claim must not undo a release that committed after it.
        const firstTime = await writeAudit(trx, {
          key: `${c.key}:claim`,
          instanceId: task.instance_id,
          taskId: c.taskId,
          stepId: task.step_id,
          kind: c.assignee ? 'task.claimed' : 'task.released',
          actor: c.actor,
          details: { assignee: c.assignee },
        });
        if (firstTime) {
          await trx('tasks').where({ id: c.taskId }).update({ assignee: c.assignee, claimed_at: c.assignee ? trx.fn.now() : null });
        }
      });
    },

    async 'engine.completeTask'(c) {
      await db.transaction(async (trx) => {
        const completed = await updateOpenTask(
          trx,
          c.taskId,
          {
            status: 'completed',
            outcome: c.outcome,
            data: JSON.stringify(c.data ?? {}),
            completed_by: c.completedBy,
            completed_at: c.completedAt,
            assignee: trx.raw('coalesce(assignee, ?)', [c.completedBy]),
          },
          {
            key: `${c.taskId}:completed`,
            kind: 'task.completed',
            actor: c.completedBy,
            at: c.completedAt,
            details: { outcome: c.outcome, data: c.data ?? {} },
          },
        );
        if (completed) return;
        const task = await trx('tasks').where({ id: c.taskId }).first('status', 'outcome');
        if (!task) throw notFound(c.taskId);
        // Same outcome: this is a retry of a completion that already committed.
        if (task.status === 'completed' && task.outcome === c.outcome) return;
        throw ApplicationFailure.nonRetryable(
          `task ${c.taskId} is ${task.status}${task.outcome ? ` with outcome ${task.outcome}` : ''}`,
          TaskErrors.notOpen,
        );
      });
    },

    async 'engine.cancelTask'(c) {
      // Already closed (or cancelled by finishInstance): nothing is written.
      await db.transaction((trx) =>
        updateOpenTask(
          trx,
          c.taskId,
          { status: 'cancelled', cancel_reason: c.reason },
          { key: `${c.taskId}:cancelled`, kind: 'task.cancelled', actor: 'system', details: { reason: c.reason } },
        ),
      );
    },

    async 'engine.escalateTask'(e) {
      const addRoles = [...new Set(e.addRoles)];
      await db.transaction((trx) =>
        updateOpenTask(
          trx,
          e.taskId,
          {
            // Set union keeps the order of the original roles and makes a replay a no-op.
            candidate_roles: trx.raw(
              'candidate_roles || array(select r from unnest(?::text[]) as r where not (r = any(candidate_roles)))',
              [addRoles],
            ),
            escalated_at: trx.raw('coalesce(escalated_at, now())'),
          },
          (task) => ({
            key: `${e.taskId}:escalated`,
            kind: 'task.escalated',
            actor: 'system',
            details: { addRoles, candidateRoles: task.candidate_roles },
          }),
        ),
      );
    },
  };
}

interface UpdatedTask {
  instance_id: string;
  step_id: string;
  candidate_roles: string[];
}

type TaskAudit = Omit<AuditLine, 'instanceId' | 'taskId' | 'stepId'>;

/**
 * Applies `changes` to the task only while it is open, and writes its audit line (built from the
 * updated row when it needs it) in the same transaction. Returns false, writing nothing, when the
 * task is missing or already closed.
 */
async function updateOpenTask(
  trx: Knex.Transaction,
  taskId: string,
  changes: Record<string, unknown>,
  audit: TaskAudit | ((task: UpdatedTask) => TaskAudit),
): Promise<boolean> {
  const [task]: UpdatedTask[] = await trx('tasks')
    .where({ id: taskId, status: 'open' })
    .update(changes)
    .returning(['instance_id', 'step_id', 'candidate_roles']);
  if (!task) return false;
  const line = typeof audit === 'function' ? audit(task) : audit;
  await writeAudit(trx, { ...line, instanceId: task.instance_id, taskId, stepId: task.step_id });
  return true;
}

function notFound(taskId: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`task ${taskId} not found`, TaskErrors.notFound);
}
