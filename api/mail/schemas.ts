/** Sent mail: what the embedded SMTP sink received. Request and response schemas; api/schemas.ts registers them. */
import type { FromSchema } from 'json-schema-to-ts';
import { dateTime, limit, nullableString, offset, page, uuid } from '../shared-schemas';

const summary = {
  id: uuid,
  messageId: { ...nullableString, description: 'The Message-ID header without angle brackets. A redelivered outbox row arrives again with the same one.' },
  from: nullableString,
  to: { type: 'array', items: { type: 'string' }, description: 'The envelope recipients.' },
  subject: nullableString,
  outboxId: { ...nullableString, description: 'The outbox row it was sent from (X-Cauce-Outbox-Id).' },
  template: { ...nullableString, description: 'The template it was rendered from (X-Cauce-Template).' },
  attachments: {
    type: 'array',
    description: 'The files that came attached.',
    items: { type: 'object', required: ['filename', 'contentType', 'size'], properties: { filename: nullableString, contentType: { type: 'string' }, size: { type: 'integer' } } },
  },
  size: { type: 'integer', description: 'Bytes as received.' },
  receivedAt: dateTime,
} as const;

const summaryRequired = ['id', 'messageId', 'from', 'to', 'subject', 'outboxId', 'template', 'attachments', 'size', 'receivedAt'] as const;

export const MailSummary = { $id: 'MailSummary', type: 'object', required: summaryRequired, properties: summary } as const;

export const MailList = { $id: 'MailList', ...page({ type: 'object', required: summaryRequired, properties: summary }) } as const;

export const MailMessage = {
  $id: 'MailMessage',
  type: 'object',
  required: [...summaryRequired, 'toHeader', 'text', 'html'],
  properties: { ...summary, toHeader: nullableString, text: nullableString, html: { ...nullableString, description: 'The HTML part as sent; the web app shows it in a sandboxed frame.' } },
} as const;

export const ListMailQuery = {
  $id: 'ListMailQuery',
  type: 'object',
  additionalProperties: false,
  properties: { to: { type: 'string', minLength: 1, maxLength: 320, description: 'One envelope recipient, exactly.' }, limit, offset },
} as const;

export type ListMailQuery = FromSchema<typeof ListMailQuery>;

export const mailSchemas = [MailSummary, MailList, MailMessage, ListMailQuery] as const;
