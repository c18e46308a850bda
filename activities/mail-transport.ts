/**
 * E-mail over SMTP with `nodemailer`: the outbox row's template rendered in its language
 * (lib/mail/templates.ts) and sent through the relay at `mail.smtpUrl` (the embedded sink under
 * `npm start`). The Message-ID is derived from the outbox row alone, so a redelivery after a crash
 * (the outbox is at least once) carries the same id and a receiver can drop the duplicate.
 * Messages for other channels (sms, whatsapp) still go to the fallback transport, the log by default.
 */
import nodemailer from 'nodemailer';
import type { AttachmentResolver } from '../lib/mail/attachments';
import { pickTemplate, renderTemplate, templateCatalog, type TemplateCatalog } from '../lib/mail/templates';
import { logTransport, type NotificationTransport, type OutboxMessage } from './outbox';

export interface SmtpTransportOptions {
  /** smtp(s)://[user:pass@]host:port */
  url: string;
  /** The From header, e.g. `Cauce <no-reply@cauce.example>`; its domain names the Message-IDs. */
  from: string;
  templates?: TemplateCatalog;
  fallback?: NotificationTransport;
  /** Renders what a message asks to attach; without one, a message with attachments is not sent (it stays pending). */
  attachments?: AttachmentResolver;
}

/** `<outbox.<row id>@<domain of From>>`: one logical message per outbox row, however often it is sent. */
export function outboxMessageId(outboxId: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'cauce.local';
  return `<outbox.${outboxId}@${domain}>`;
}

export function smtpTransport({ url, from, templates = templateCatalog(), fallback = logTransport(), attachments }: SmtpTransportOptions): NotificationTransport & { close(): void } {
  const mailer = nodemailer.createTransport(url);
  return {
    name: 'smtp',
    async send(message: OutboxMessage) {
      if (message.channel !== 'email') {
        await fallback.send(message);
        return fallback.name;
      }
      const template = pickTemplate(templates, message.template, message.language);
      // Thrown, the row stays pending with this error and is retried (a template added by a later deploy of the worker).
      if (!template) throw new Error(`unknown e-mail template '${message.template}' (no definitions/templates/${message.language}/${message.template}.subject)`);
      const mail = renderTemplate(template, message.payload);
      const refs = message.attachments ?? [];
      if (refs.length && !attachments) throw new Error('this transport cannot render attachments: give smtpTransport an attachment resolver');
      const files = refs.length ? await attachments!(refs) : [];
      await mailer.sendMail({
        from,
        to: message.recipient,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
        ...(files.length ? { attachments: files } : {}),
        messageId: outboxMessageId(message.id, from),
        headers: { 'X-Cauce-Outbox-Id': message.id, 'X-Cauce-Template': message.template, 'Content-Language': template.language },
      });
      return 'smtp';
    },
    close: () => mailer.close(),
  };
}
