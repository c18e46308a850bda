/** SQL of the `mail_messages` table: the embedded SMTP sink writes it, the "Sent mail" API reads it. */
import type { Knex } from 'knex';

export interface MailMessageRow {
  id: string;
  message_id: string | null;
  envelope_from: string | null;
  envelope_to: string[];
  from_header: string | null;
  to_header: string | null;
  subject: string | null;
  text: string | null;
  html: string | null;
  cauce_headers: Record<string, string>;
  /** What arrived attached: name, type and size of each file. */
  attachments: Array<{ filename: string | null; contentType: string; size: number }>;
  size: number;
  received_at: Date;
}

export type NewMailMessage = Omit<MailMessageRow, 'id' | 'received_at'>;

const SUMMARY = ['id', 'message_id', 'envelope_from', 'envelope_to', 'from_header', 'to_header', 'subject', 'cauce_headers', 'attachments', 'size', 'received_at'];

export function createMailStore(db: Knex) {
  return {
    async insert(message: NewMailMessage): Promise<MailMessageRow> {
      const [row] = await db('mail_messages')
        .insert({ ...message, cauce_headers: JSON.stringify(message.cauce_headers), attachments: JSON.stringify(message.attachments) })
        .returning('*');
      return row;
    },

    /** Newest first; `to` matches one envelope recipient exactly (lower-cased). */
    async list(filter: { to?: string; limit: number; offset: number }): Promise<{ rows: Array<Omit<MailMessageRow, 'text' | 'html'>>; total: number }> {
      const where = (q: Knex.QueryBuilder) => (filter.to ? q.whereRaw('? = any(envelope_to)', [filter.to.toLowerCase()]) : q);
      const [rows, [{ count }]] = await Promise.all([
        where(db('mail_messages')).select(SUMMARY).orderBy([{ column: 'received_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(filter.limit).offset(filter.offset),
        where(db('mail_messages')).count<{ count: string }[]>('* as count'),
      ]);
      return { rows, total: Number(count) };
    },

    async get(id: string): Promise<MailMessageRow | undefined> {
      return db('mail_messages').where({ id }).first();
    },
  };
}

export type MailStore = ReturnType<typeof createMailStore>;
