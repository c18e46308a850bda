/**
 * Sent mail for operators: the messages the embedded SMTP sink received (lib/mail/sink.ts). With a real
 * relay (`mail.smtpUrl`) nothing arrives here, and the list stays empty.
 */
import { createMailStore, type MailMessageRow } from '../../lib/mail/store';
import { toIso as iso } from '../../lib/time';
import type { AppDeps } from '../deps';
import { notFound } from '../errors';
import type { ListMailQuery } from './schemas';

function presentSummary(r: Omit<MailMessageRow, 'text' | 'html'>) {
  return {
    id: r.id,
    messageId: r.message_id,
    from: r.from_header ?? r.envelope_from,
    to: r.envelope_to,
    subject: r.subject,
    outboxId: r.cauce_headers['x-cauce-outbox-id'] ?? null,
    template: r.cauce_headers['x-cauce-template'] ?? null,
    attachments: r.attachments ?? [],
    size: r.size,
    receivedAt: iso(r.received_at)!,
  };
}

export function createMailService(deps: Pick<AppDeps, 'db'>) {
  const store = createMailStore(deps.db);
  return {
    async list(query: ListMailQuery) {
      const limit = query.limit ?? 50;
      const offset = query.offset ?? 0;
      const { rows, total } = await store.list({ to: query.to, limit, offset });
      return { items: rows.map(presentSummary), total, limit, offset };
    },

    async get(id: string) {
      const row = await store.get(id);
      if (!row) throw notFound(`No received message ${id}`);
      return { ...presentSummary(row), toHeader: row.to_header, text: row.text, html: row.html };
    },
  };
}

export type MailService = ReturnType<typeof createMailService>;
