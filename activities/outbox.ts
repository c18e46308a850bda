/**
 * Delivery of the notifications that `notifications.send` queued in the outbox. The transport is
 * pluggable (`NotificationTransport`): e-mail goes over SMTP (activities/mail-transport.ts) when the
 * worker has a relay (`mail.smtpUrl`), anything else to the log. Delivery is at least once: a crash
 * between sending and marking the row sent sends it again, so a transport receives the outbox id to
 * deduplicate on (the SMTP one makes it the Message-ID).
 */
import type { Knex } from 'knex';
import pino from 'pino';
import { MAX_DELIVERY_ATTEMPTS } from '../lib/outbox-delivery';
import type { AttachmentRef } from '../lib/mail/attachments';
import { redactSecrets } from '../lib/task-links/mail';

export interface OutboxMessage {
  id: string;
  channel: 'email' | 'sms' | 'whatsapp';
  recipient: string;
  template: string;
  /** What the template is rendered in (lib/mail/templates.ts LANGUAGES). */
  language: string;
  payload: Record<string, unknown>;
  /** What to attach (lib/mail/attachments.ts), rendered by the transport when it sends. */
  attachments: AttachmentRef[];
}

export interface NotificationTransport {
  readonly name: string;
  /** Resolves once the message is handed over; a name resolved is the transport that took it (recorded on the row). */
  send(message: OutboxMessage): Promise<string | void>;
}

const defaultLogger = () => pino({ name: 'cauce-outbox', level: process.env.LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'silent' : 'info') });

export function logTransport(logger: pino.Logger = defaultLogger()): NotificationTransport {
  return {
    name: 'log',
    async send(message) {
      // A task link's secret is for its recipient only: the log shows that there was one, not what it is.
      const payload = redactSecrets(message.payload);
      logger.info({ outboxId: message.id, channel: message.channel, to: message.recipient, template: message.template, language: message.language, payload, attachments: message.attachments }, 'notification');
    },
  };
}

export { MAX_DELIVERY_ATTEMPTS };

export interface OutboxActivities {
  'outbox.deliverPending'(input: { limit: number }): Promise<{ sent: number; failed: number; remaining: number }>;
}

export function createOutboxActivities({ db, transport = logTransport() }: { db: Knex; transport?: NotificationTransport }): OutboxActivities {
  return {
    async 'outbox.deliverPending'({ limit }) {
      let sent = 0;
      let failed = 0;
      const tried: string[] = [];
      // One short transaction per message: its row lock is held only while it is sent, a database error
      // undoes at most that message's mark, and rows locked by another drainer are skipped.
      for (let i = 0; i < limit; i++) {
        const outcome = await db.transaction(async (trx) => {
          const row = await trx('outbox')
            .where({ status: 'pending' })
            .andWhere('attempts', '<', MAX_DELIVERY_ATTEMPTS)
            .whereNotIn('id', tried)
            .orderBy('created_at')
            .first()
            .forUpdate()
            .skipLocked();
          if (!row) return 'none';
          tried.push(row.id);
          let via: string | void;
          try {
            via = await transport.send({ id: row.id, channel: row.channel, recipient: row.recipient, template: row.template, language: row.language, payload: row.payload, attachments: row.attachments ?? [] });
          } catch (err) {
            await trx('outbox').where({ id: row.id }).update({ attempts: row.attempts + 1, last_error: String((err as Error).message ?? err).slice(0, 2000) });
            return 'failed';
          }
          // Once handed over, a task link's secret lives in the recipient's mailbox only, not in this table.
          const payload = redactSecrets(row.payload);
          await trx('outbox').where({ id: row.id }).update({
            status: 'sent', sent_at: trx.fn.now(), attempts: row.attempts + 1, transport: via || transport.name, last_error: null,
            ...(payload === row.payload ? {} : { payload: JSON.stringify(payload) }),
          });
          return 'sent';
        });
        if (outcome === 'none') break;
        if (outcome === 'sent') sent++;
        else failed++;
      }
      const [{ count }] = await db('outbox').where({ status: 'pending' }).andWhere('attempts', '<', MAX_DELIVERY_ATTEMPTS).count({ count: '*' });
      return { sent, failed, remaining: Number(count) };
    },
  };
}
