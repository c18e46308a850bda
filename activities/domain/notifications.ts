/**
 * Notifications are queued in the outbox, in the same database as the state they report; delivery is a
 * separate concern (activities/outbox.ts renders the template in `language` and sends it).
 */
import type { Knex } from 'knex';
import { NOTIFICATION_CHANNELS } from '../../domain/channels';
import { parseAttachments } from '../../lib/mail/attachments';
import { DEFAULT_LANGUAGE, LANGUAGES, templateCatalog } from '../../lib/mail/templates';
import type { ProcessActivity } from '../context';
import { checkEmail, insertOnce, invalid, iso, optionalObject, requireEnum, requireString } from './support';

interface OutboxRow { id: string; status: string; channel: string; recipient: string; created_at: Date }

export function createNotificationActivities({ db }: { db: Knex }): Record<string, ProcessActivity> {
  return {
    async 'notifications.send'(input, ctx) {
      const channel = requireEnum(input, 'channel', NOTIFICATION_CHANNELS, 'email');
      const to = requireString(input, 'to');
      if (channel === 'email') checkEmail('to', to);
      const language = requireEnum(input, 'language', LANGUAGES, DEFAULT_LANGUAGE);
      const template = requireString(input, 'template');
      // Deploy checks literal templates; one chosen by an expression is checked here, before it is queued.
      if (channel === 'email' && templateCatalog().versions(template).length === 0) throw invalid('template', `unknown e-mail template '${template}' (not in definitions/templates/)`);
      const data = optionalObject(input, 'data') ?? {};
      const attachments = parseAttachments(input.attachments);
      if ('problem' in attachments) throw invalid('attachments', attachments.problem);
      if (attachments.refs.length && channel !== 'email') throw invalid('attachments', `only an e-mail carries attachments (channel ${channel})`);
      for (const [i, ref] of attachments.refs.entries()) {
        if (!(await db('invoices').where({ id: ref.invoicePdf }).first('id'))) throw invalid(`attachments[${i}].invoicePdf`, `invoice ${ref.invoicePdf} does not exist`);
      }
      const row = await insertOnce<OutboxRow>(db, 'outbox', {
        channel,
        recipient: to,
        template,
        payload: JSON.stringify(data),
        attachments: JSON.stringify(attachments.refs),
        language,
        instance_id: ctx.instanceId,
        idempotency_key: ctx.key,
      });
      return { notificationId: row.id, channel: row.channel, to: row.recipient, status: row.status, queuedAt: iso(row.created_at) };
    },
  };
}
