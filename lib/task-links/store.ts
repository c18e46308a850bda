/**
 * SQL of `task_links`, shared by the engine's activity (the link a participant step sends) and the API
 * (operators sending a new one, the public pages reading and using one). Issuing a link writes its row
 * and queues its e-mail in the outbox in one transaction, keyed by `idempotencyKey`: a retry finds the
 * row and writes nothing, and the secret, which only the first attempt ever knew, is never needed again.
 */
import type { Knex } from 'knex';
import { TASK_LINK_TEMPLATE, type TaskLinkMailData } from './mail';
import { hashLinkToken, linkUrl, newLinkToken } from './tokens';

export interface TaskLinkRow {
  id: string;
  task_id: string;
  instance_id: string;
  email: string;
  name: string | null;
  language: string;
  token_hash: string;
  idempotency_key: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
  created_by: string;
}

export interface IssueLink {
  idempotencyKey: string;
  taskId: string;
  instanceId: string;
  email: string;
  name: string | null;
  language: string;
  expiresAt: string | Date;
  createdBy: string;
  /** The task's title, printed in the e-mail. */
  title: string;
  /** Where the web app is served (config http.publicUrl). */
  publicUrl: string;
  /** Revoke the task's other links in the same transaction (an operator's resend). */
  revokeOthers?: boolean;
}

/** What may leave the store: never the hash. */
export const PUBLIC_COLUMNS = ['id', 'task_id', 'instance_id', 'email', 'name', 'language', 'expires_at', 'used_at', 'revoked_at', 'created_at', 'created_by'];

export function createTaskLinkStore(db: Knex) {
  return {
    /** Creates the link and queues its e-mail, once per key; returns the row (the first one on a retry). */
    async issue(l: IssueLink): Promise<{ link: TaskLinkRow; created: boolean }> {
      return db.transaction(async (trx) => {
        const existing: TaskLinkRow | undefined = await trx('task_links').where({ idempotency_key: l.idempotencyKey }).first();
        if (existing) return { link: existing, created: false };
        if (l.revokeOthers) await trx('task_links').where({ task_id: l.taskId }).whereNull('revoked_at').update({ revoked_at: trx.fn.now() });
        const token = newLinkToken();
        const [link]: TaskLinkRow[] = await trx('task_links')
          .insert({
            task_id: l.taskId,
            instance_id: l.instanceId,
            email: l.email,
            name: l.name,
            language: l.language,
            token_hash: hashLinkToken(token),
            idempotency_key: l.idempotencyKey,
            expires_at: l.expiresAt,
            created_by: l.createdBy,
          })
          // Two attempts racing: the loser's insert is skipped and it reads the winner's row.
          .onConflict('idempotency_key')
          .ignore()
          .returning('*');
        if (!link) return { link: (await trx('task_links').where({ idempotency_key: l.idempotencyKey }).first()) as TaskLinkRow, created: false };
        await trx('outbox').insert({
          channel: 'email',
          recipient: l.email,
          template: TASK_LINK_TEMPLATE,
          language: l.language,
          instance_id: l.instanceId,
          idempotency_key: `task-link:${link.id}`,
          payload: JSON.stringify({
            name: l.name ?? l.email,
            title: l.title,
            linkUrl: linkUrl(l.publicUrl, token),
            expiresAt: new Date(l.expiresAt).toISOString(),
          } satisfies TaskLinkMailData),
        });
        return { link, created: true };
      });
    },

    async byToken(token: string, trx: Knex | Knex.Transaction = db, lock = false): Promise<TaskLinkRow | undefined> {
      const q = trx('task_links').where({ token_hash: hashLinkToken(token) }).first();
      return lock ? q.forUpdate() : q;
    },

    async get(id: string): Promise<TaskLinkRow | undefined> {
      return db('task_links').where({ id }).first();
    },

    async forTask(taskId: string): Promise<Array<Omit<TaskLinkRow, 'token_hash' | 'idempotency_key'>>> {
      return db('task_links').where({ task_id: taskId }).orderBy('created_at', 'desc').select(PUBLIC_COLUMNS);
    },

    /** Revokes it unless already revoked; the row as it is now. */
    async revoke(id: string): Promise<TaskLinkRow | undefined> {
      await db('task_links').where({ id }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
      return db('task_links').where({ id }).first();
    },

    async markUsed(trx: Knex.Transaction, id: string): Promise<void> {
      await trx('task_links').where({ id }).update({ used_at: trx.fn.now() });
    },
  };
}

export type TaskLinkStore = ReturnType<typeof createTaskLinkStore>;
