/**
 * The inbox, and claiming/completing tasks. The database answers the obvious refusals (unknown
 * task, closed task, caller without a candidate role) so they never reach Temporal; the workflow's
 * update validators remain the final arbiter for races (two people claiming at once).
 */
import { claimTaskUpdate, completeTaskUpdate, TaskErrors } from '../../workflows/messages';
import { isAdmin } from '../auth/service';
import type { AppDeps } from '../deps';
import { conflict, forbidden, notFound, unprocessable } from '../errors';
import type { CompleteTaskBody, ListTasksQuery } from '../schemas';
import { toHttpError } from '../temporal-errors';
import type { SessionUser } from '../types';
import { presentTask, type TaskRow } from './present';
import { createTaskStore } from './store';

const actorOf = (u: SessionUser) => ({ username: u.username, roles: u.roles });

export function createTaskService({ db, temporal }: AppDeps) {
  const store = createTaskStore(db);

  async function requireTask(id: string): Promise<TaskRow> {
    const task = await store.get(id);
    // The same codes the workflow's update validators use, whichever layer refuses first.
    if (!task) throw notFound(`Task ${id} not found`, { id }, TaskErrors.notFound);
    return task;
  }

  /** 409 unless open, 403 unless the caller holds a candidate role (or is admin). */
  function assertActionable(task: TaskRow, user: SessionUser) {
    if (task.status !== 'open') throw conflict(TaskErrors.notOpen, `Task ${task.id} is ${task.status}`, { id: task.id, status: task.status });
    const candidate = task.candidate_roles.some((r) => user.roles.includes(r));
    if (!candidate && !isAdmin(user) && task.assignee !== user.username) {
      throw forbidden(`Task ${task.id} is for ${task.candidate_roles.join(', ')}; you have ${user.roles.join(', ') || 'no roles'}`, {
        id: task.id,
        candidateRoles: task.candidate_roles,
      }, TaskErrors.forbidden);
    }
  }

  /** 409 when someone else holds the task; an admin may override it (release, complete) but not claim over it. */
  function assertNotClaimedByOther(task: TaskRow, user: SessionUser, adminOverrides: boolean) {
    if (task.assignee && task.assignee !== user.username && !(adminOverrides && isAdmin(user))) {
      throw conflict(TaskErrors.claimedByOther, `Task ${task.id} is claimed by ${task.assignee}`, { id: task.id, assignee: task.assignee });
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
        visibleTo: isAdmin(user) ? undefined : { username: user.username, roles: user.roles },
        limit,
        offset,
      });
      const now = Date.now();
      return { items: rows.map((r) => presentTask(r, now)), total, limit, offset };
    },

    async get(id: string) {
      return presentTask(await requireTask(id));
    },

    async claim(user: SessionUser, id: string, release = false) {
      const task = await requireTask(id);
      assertActionable(task, user);
      assertNotClaimedByOther(task, user, release);
      try {
        return await temporal.workflow.getHandle(task.instance_id).executeUpdate(claimTaskUpdate, { args: [{ taskId: id, actor: actorOf(user), release }] });
      } catch (err) {
        throw toHttpError(err, task.instance_id);
      }
    },

    async complete(user: SessionUser, id: string, body: CompleteTaskBody) {
      const task = await requireTask(id);
      assertActionable(task, user);
      assertNotClaimedByOther(task, user, true);
      if (!task.outcomes.includes(body.outcome)) {
        throw unprocessable(TaskErrors.unknownOutcome, `Task ${id} has no outcome '${body.outcome}'`, { outcome: body.outcome, outcomes: task.outcomes });
      }
      try {
        return await temporal.workflow
          .getHandle(task.instance_id)
          .executeUpdate(completeTaskUpdate, { args: [{ taskId: id, outcome: body.outcome, data: body.data ?? {}, actor: actorOf(user) }] });
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
