/**
 * Human tasks: the inbox rows. The workflow decides (its update validators reject bad claims and
 * completions); these activities mirror each decision into `tasks` + `audit_events`, idempotently.
 */
import type { Knex } from 'knex';
import { ApplicationFailure } from '@temporalio/common';
import type { EngineActivities } from '../context';
import { TaskErrors } from '../../workflows/messages';
import { writeAudit } from './audit';

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
        await trx('tasks')
          .where({ id: c.taskId, status: 'open' })
          .update({ assignee: c.assignee, claimed_at: c.assignee ? trx.fn.now() : null });
        await writeAudit(trx, {
          key: `${c.key}:claim`,
          instanceId: task.instance_id,
          taskId: c.taskId,
          stepId: task.step_id,
          kind: c.assignee ? 'task.claimed' : 'task.released',
          actor: c.actor,
          details: { assignee: c.assignee },
        });
      });
    },

    async 'engine.completeTask'(c) {
      await db.transaction(async (trx) => {
        const done: Array<{ instance_id: string; step_id: string }> = await trx('tasks')
          .where({ id: c.taskId, status: 'open' })
          .update({
            status: 'completed',
            outcome: c.outcome,
            data: JSON.stringify(c.data ?? {}),
            completed_by: c.completedBy,
            completed_at: c.completedAt,
            assignee: trx.raw('coalesce(assignee, ?)', [c.completedBy]),
          })
          .returning(['instance_id', 'step_id']);
        if (done.length === 0) {
          const task = await trx('tasks').where({ id: c.taskId }).first('status', 'outcome');
          if (!task) throw notFound(c.taskId);
          // Same outcome: this is a retry of a completion that already committed.
          if (task.status === 'completed' && task.outcome === c.outcome) return;
          throw ApplicationFailure.nonRetryable(
            `task ${c.taskId} is ${task.status}${task.outcome ? ` with outcome ${task.outcome}` : ''}`,
            TaskErrors.notOpen,
          );
        }
        await writeAudit(trx, {
          key: `${c.taskId}:completed`,
          instanceId: done[0].instance_id,
          taskId: c.taskId,
          stepId: done[0].step_id,
          kind: 'task.completed',
          actor: c.completedBy,
          at: c.completedAt,
          details: { outcome: c.outcome, data: c.data ?? {} },
        });
      });
    },

    async 'engine.cancelTask'(c) {
      await db.transaction(async (trx) => {
        const cancelled: Array<{ instance_id: string; step_id: string }> = await trx('tasks')
          .where({ id: c.taskId, status: 'open' })
          .update({ status: 'cancelled', cancel_reason: c.reason })
          .returning(['instance_id', 'step_id']);
        // Already closed (or cancelled by finishInstance): nothing left to do.
        if (cancelled.length === 0) return;
        await writeAudit(trx, {
          key: `${c.taskId}:cancelled`,
          instanceId: cancelled[0].instance_id,
          taskId: c.taskId,
          stepId: cancelled[0].step_id,
          kind: 'task.cancelled',
          actor: 'system',
          details: { reason: c.reason },
        });
      });
    },

    async 'engine.escalateTask'(e) {
      const addRoles = [...new Set(e.addRoles)];
      await db.transaction(async (trx) => {
        // Set union keeps the order of the original roles and makes a replay a no-op.
        const escalated: Array<{ instance_id: string; step_id: string; candidate_roles: string[] }> = await trx('tasks')
          .where({ id: e.taskId, status: 'open' })
          .update({
            candidate_roles: trx.raw(
              'candidate_roles || array(select r from unnest(?::text[]) as r where not (r = any(candidate_roles)))',
              [addRoles],
            ),
            escalated_at: trx.raw('coalesce(escalated_at, now())'),
          })
          .returning(['instance_id', 'step_id', 'candidate_roles']);
        if (escalated.length === 0) return;
        await writeAudit(trx, {
          key: `${e.taskId}:escalated`,
          instanceId: escalated[0].instance_id,
          taskId: e.taskId,
          stepId: escalated[0].step_id,
          kind: 'task.escalated',
          actor: 'system',
          details: { addRoles, candidateRoles: escalated[0].candidate_roles },
        });
      });
    },
  };
}

function notFound(taskId: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`task ${taskId} not found`, TaskErrors.notFound);
}
