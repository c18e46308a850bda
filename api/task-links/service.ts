/**
 * Task links: the public side (a participant opens and completes the one task a link gives them) and the
 * operators' side (list, send a new one, revoke). Completion goes through the same `completeTask` update
 * as the inbox; the actor is the participant's e-mail holding the task's candidate roles, so the
 * workflow's policy (workflows/policy.ts) accepts it as it would a candidate, and the task row's
 * `completed_by` is that e-mail. The link's row is locked while the update runs and marked used in the
 * same transaction: two submissions at once complete the task once, the other one is `link_used`; a
 * completion the workflow refuses (invalid form data) leaves the link usable.
 */
import { randomUUID } from 'node:crypto';
import { writeAudit } from '../../lib/audit';
import { publicUrlOf } from '../../lib/config';
import { getDefinitionVersion } from '../../lib/definitions/store';
import { instanceHandle } from '../../lib/temporal';
import { linkRefusal, linkStatus, REFUSAL_MESSAGES, type LinkRefusal } from '../../lib/task-links/state';
import { createTaskLinkStore, type TaskLinkRow } from '../../lib/task-links/store';
import { toIso } from '../../lib/time';
import { stepsById } from '../../workflows/definition';
import { DurationError, parseDuration } from '../../workflows/duration';
import { completeTaskUpdate, TaskErrors } from '../../workflows/messages';
import type { AppDeps } from '../deps';
import { conflict, HttpError, notFound, unprocessable } from '../errors';
import type { TaskRow } from '../tasks/present';
import { createTaskStore } from '../tasks/store';
import { toHttpError } from '../temporal-errors';
import type { SessionUser } from '../types';
import { createLinkLimits } from './limits';
import type { PublicCompleteBody, SendTaskLinkBody } from './schemas';

/** Refusals beyond the link's own: the task was completed or cancelled some other way (the inbox, an event, its SLA). */
type Refusal = LinkRefusal | 'task_closed';

const DEFAULT_VALIDITY = '7d';

const unknownLink = () => notFound('No such task link', undefined, 'link_not_found');

function gone(code: Refusal): HttpError {
  return new HttpError(410, code, code === 'task_closed' ? 'This task is already closed: there is nothing left to do here.' : REFUSAL_MESSAGES[code]);
}

export function presentLink(l: Omit<TaskLinkRow, 'token_hash' | 'idempotency_key'>, now = Date.now()) {
  return {
    id: l.id,
    taskId: l.task_id,
    email: l.email,
    name: l.name,
    language: l.language,
    status: linkStatus(l, now),
    expiresAt: toIso(l.expires_at)!,
    usedAt: toIso(l.used_at),
    revokedAt: toIso(l.revoked_at),
    createdAt: toIso(l.created_at)!,
    createdBy: l.created_by,
  };
}

export function createTaskLinkService({ db, temporal, config }: AppDeps) {
  const links = createTaskLinkStore(db);
  const tasks = createTaskStore(db);
  const limits = createLinkLimits(db, config.auth.loginLimits.perAddress);

  const audit = (link: TaskLinkRow, task: Pick<TaskRow, 'step_id'> | null, kind: string, actor: string, details: Record<string, unknown>) =>
    writeAudit(db, { key: `${link.id}:${kind}:${randomUUID()}`, instanceId: link.instance_id, taskId: link.task_id, stepId: task?.step_id ?? null, kind, actor, details: { linkId: link.id, ...details } });

  /** The link and its task when both still allow the work; otherwise the refusal is audited and answered 410. */
  async function usable(link: TaskLinkRow | undefined, task?: TaskRow | null): Promise<TaskRow> {
    if (!link) throw unknownLink();
    task ??= await tasks.get(link.task_id);
    const refusal: Refusal | null = linkRefusal(link, Date.now()) ?? (task?.status === 'open' ? null : 'task_closed');
    if (refusal) {
      await audit(link, task ?? null, 'task.link.refused', link.email, { reason: refusal });
      throw gone(refusal);
    }
    return task!;
  }

  async function requireTask(id: string): Promise<TaskRow> {
    const task = await tasks.get(id);
    if (!task) throw notFound(`Task ${id} not found`, { id }, TaskErrors.notFound);
    return task;
  }

  return {
    async open(token: string, address: string) {
      await limits.attempt(address);
      const link = await links.byToken(token);
      const task = await usable(link);
      await limits.succeeded(address);
      await audit(link!, task, 'task.link.opened', link!.email, {});
      const step = await stepOf(task);
      const labels = (step?.outcomes ?? {}) as Record<string, { label?: string }>;
      return {
        title: task.title,
        description: step?.description ?? null,
        form: task.form,
        outcomes: task.outcomes.map((name) => ({ name, label: labels[name]?.label ?? name })),
        expiresAt: link!.expires_at.toISOString(),
      };
    },

    async complete(token: string, body: PublicCompleteBody, address: string) {
      await limits.attempt(address);
      let refused: { link: TaskLinkRow; task: TaskRow | null; code: Refusal } | undefined;
      const done = await db.transaction(async (trx) => {
        const link = await links.byToken(token, trx, true);
        if (!link) throw unknownLink();
        const task = await tasks.get(link.task_id);
        const refusal: Refusal | null = linkRefusal(link, Date.now()) ?? (task?.status === 'open' ? null : 'task_closed');
        // Answered after the transaction, so the refusal's audit line is not rolled back with it.
        if (refusal) return void (refused = { link, task, code: refusal });
        if (!task!.outcomes.includes(body.outcome)) {
          throw unprocessable(TaskErrors.unknownOutcome, `This task has no outcome '${body.outcome}'`, { outcome: body.outcome, outcomes: task!.outcomes });
        }
        const actor = { username: link.email, roles: task!.candidate_roles };
        try {
          await instanceHandle(temporal, { id: task!.instance_id, workflow_id: task!.workflow_id! }).executeUpdate(completeTaskUpdate, {
            args: [{ taskId: task!.id, outcome: body.outcome, data: body.data ?? {}, actor }],
          });
        } catch (err) {
          const mapped = toHttpError(err, task!.instance_id);
          // Only what concerns the form goes back to the participant; the rest says the task is gone.
          if (mapped instanceof HttpError && mapped.status === 422) throw mapped;
          if (mapped instanceof HttpError && [404, 409].includes(mapped.status)) return void (refused = { link, task, code: 'task_closed' });
          throw mapped;
        }
        await links.markUsed(trx, link.id);
        await writeAudit(trx, {
          key: `${link.id}:task.link.used`,
          instanceId: link.instance_id,
          taskId: link.task_id,
          stepId: task!.step_id,
          kind: 'task.link.used',
          actor: link.email,
          details: { linkId: link.id, outcome: body.outcome },
        });
        return { completed: true as const, outcome: body.outcome };
      });
      if (refused) {
        await audit(refused.link, refused.task, 'task.link.refused', refused.link.email, { reason: refused.code });
        throw gone(refused.code);
      }
      await limits.succeeded(address);
      return done!;
    },

    async list(taskId: string) {
      await requireTask(taskId);
      const now = Date.now();
      return { items: (await links.forTask(taskId)).map((l) => presentLink(l, now)) };
    },

    /** A new link for the task (to `email`, or to the latest link's address); the task's other links are revoked. */
    async send(user: SessionUser, taskId: string, body: SendTaskLinkBody) {
      const task = await requireTask(taskId);
      if (task.status !== 'open') throw conflict(TaskErrors.notOpen, `Task ${taskId} is ${task.status}: a link to it would open nothing`, { id: taskId, status: task.status });
      const [latest] = await links.forTask(taskId);
      const email = body.email ?? latest?.email;
      if (!email) throw unprocessable('email_required', `Task ${taskId} has had no link yet: give the e-mail to send one to`, { field: 'email' });
      let validFor: number;
      try {
        validFor = parseDuration(body.expiresIn ?? DEFAULT_VALIDITY);
      } catch (err) {
        if (err instanceof DurationError) throw unprocessable('invalid_duration', `expiresIn: ${err.message}`, { field: 'expiresIn' });
        throw err;
      }
      const { link } = await links.issue({
        idempotencyKey: `resend:${randomUUID()}`,
        taskId,
        instanceId: task.instance_id,
        email,
        // The name and language were the participant's: a new address gets neither.
        name: email === latest?.email ? latest.name : null,
        language: latest?.language ?? 'es',
        expiresAt: new Date(Date.now() + validFor),
        createdBy: user.username,
        title: task.title,
        publicUrl: publicUrlOf(config),
        revokeOthers: true,
      });
      await audit(link, task, 'task.link.sent', user.username, { email, expiresAt: link.expires_at.toISOString() });
      return presentLink(link);
    },

    async revoke(user: SessionUser, id: string) {
      const before = await links.get(id);
      if (!before) throw notFound(`Task link ${id} not found`, { id });
      const link = (await links.revoke(id))!;
      if (!before.revoked_at) await audit(link, null, 'task.link.revoked', user.username, {});
      return presentLink(link);
    },
  };

  async function stepOf(task: TaskRow) {
    const dv = task.definition_id ? await getDefinitionVersion(db, task.definition_id, task.definition_version) : null;
    return dv ? (stepsById(dv.definition.steps)[task.step_id] as { description?: string; outcomes?: Record<string, { label?: string }> } | undefined) : undefined;
  }
}

export type TaskLinkService = ReturnType<typeof createTaskLinkService>;
