/**
 * The inbox, and claiming/completing tasks. The database answers the obvious refusals (unknown or
 * invisible task, closed task, caller who may not act) so they never reach Temporal; the workflow's
 * update validators apply the same rule (workflows/policy.ts) and remain the final arbiter for races
 * (two people claiming at once).
 */
import { instanceHandle } from '../../lib/temporal';
import { claimTaskUpdate, completeTaskUpdate, TaskErrors } from '../../workflows/messages';
import { canSeeTask, isOperator, taskActionRefusal, type TaskFacts } from '../../workflows/policy';
import type { AppDeps } from '../deps';
import type { DocumentService } from '../documents/service';
import { conflict, HttpError, notFound, unprocessable } from '../errors';
import type { CompleteTaskBody, ListTasksQuery } from './schemas';
import { toHttpError, UPDATE_FAILURE_STATUS } from '../temporal-errors';
import type { SessionUser } from '../types';
import { presentTask, type TaskRow } from './present';
import { createTaskStore } from './store';

const actorOf = (u: SessionUser) => ({ username: u.username, roles: u.roles });

const factsOf = (t: TaskRow): TaskFacts => ({ id: t.id, candidateRoles: t.candidate_roles, assignee: t.assignee, completedBy: t.completed_by });

export function createTaskService({ db, temporal }: AppDeps, documents: DocumentService) {
  const store = createTaskStore(db);

  /** The task, or 404 when it does not exist or the caller may not see it (the same answer). */
  async function requireTask(user: SessionUser, id: string): Promise<TaskRow> {
    const task = await store.get(id);
    // The same codes the workflow's update validators use, whichever layer refuses first.
    if (!task || !canSeeTask(user, factsOf(task))) throw notFound(`Task ${id} not found`, { id }, TaskErrors.notFound);
    return task;
  }

  /** 409 unless open; then the policy's refusal (403 not a candidate, 409 claimed by someone else). */
  function assertActionable(task: TaskRow, user: SessionUser) {
    if (task.status !== 'open') throw conflict(TaskErrors.notOpen, `Task ${task.id} is ${task.status}`, { id: task.id, status: task.status });
    const refusal = taskActionRefusal(user, factsOf(task));
    if (refusal) {
      throw new HttpError(UPDATE_FAILURE_STATUS[refusal.code], refusal.code, refusal.message, {
        id: task.id,
        ...(refusal.code === TaskErrors.claimedByOther ? { assignee: task.assignee } : { candidateRoles: task.candidate_roles }),
      });
    }
  }

  return {
    async list(user: SessionUser, q: ListTasksQuery) {
      const { limit, offset } = q;
      const { rows, total } = await store.list({
        status: q.status === 'all' ? undefined : q.status,
        role: q.role,
        assignee: q.assignee === 'me' ? user.username : q.assignee,
        processId: q.processId,
        visibleTo: isOperator(user) ? undefined : { username: user.username, roles: user.roles },
        limit,
        offset,
      });
      const now = Date.now();
      return { items: rows.map((r) => presentTask(r, now)), total, limit, offset };
    },

    async get(user: SessionUser, id: string) {
      return presentTask(await requireTask(user, id));
    },

    async claim(user: SessionUser, id: string, release = false) {
      const task = await requireTask(user, id);
      assertActionable(task, user);
      try {
        return await instanceHandle(temporal, { id: task.instance_id, workflow_id: task.workflow_id! }).executeUpdate(claimTaskUpdate, { args: [{ taskId: id, actor: actorOf(user), release }] });
      } catch (err) {
        throw toHttpError(err, task.instance_id);
      }
    },

    async complete(user: SessionUser, id: string, body: CompleteTaskBody) {
      const task = await requireTask(user, id);
      assertActionable(task, user);
      if (!task.outcomes.includes(body.outcome)) {
        throw unprocessable(TaskErrors.unknownOutcome, `Task ${id} has no outcome '${body.outcome}'`, { outcome: body.outcome, outcomes: task.outcomes });
      }
      const definition = await store.definitionOf(task.instance_id);
      if (definition) await documents.checkAndAttach(user, task, definition, body.data ?? {});
      try {
        const result = await instanceHandle(temporal, { id: task.instance_id, workflow_id: task.workflow_id! })
          .executeUpdate(completeTaskUpdate, { args: [{ taskId: id, outcome: body.outcome, data: body.data ?? {}, actor: actorOf(user) }] });
        if (!result.instance) return result;
        // Of the instance's open tasks, only those the caller may see (the task's candidates need not see the process).
        const { status, currentSteps, tasks } = result.instance;
        return { ...result, instance: { id: task.instance_id, status, currentSteps, tasks: tasks.filter((t) => canSeeTask(user, { ...t, completedBy: null })) } };
      } catch (err) {
        const mapped = toHttpError(err, task.instance_id);
        // The workflow ended between our read and the update: the task is no longer open.
        if ((mapped as { code?: string }).code === 'not_running') throw conflict(TaskErrors.notOpen, `Task ${id} is no longer open`, { id });
        throw mapped;
      }
    },
  };
}

export type TaskService = ReturnType<typeof createTaskService>;
