/** Task links: the public page's task and completion, and the operators' list/send/revoke. api/schemas.ts registers them. */
import type { FromSchema } from 'json-schema-to-ts';
import { anyObject, dateTime, nullableDateTime, nullableObject, nullableString } from '../shared-schemas';

/** Any string: a malformed token is answered like an unknown one (404), telling a guesser nothing. */
export const TaskLinkTokenParams = {
  $id: 'TaskLinkTokenParams',
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

export const PublicTask = {
  $id: 'PublicTask',
  type: 'object',
  description: "The one task a link opens: what the participant needs to complete it, nothing else of its instance.",
  required: ['title', 'description', 'form', 'outcomes', 'expiresAt'],
  additionalProperties: false,
  properties: {
    title: { type: 'string' },
    description: nullableString,
    form: nullableObject,
    outcomes: {
      type: 'array',
      items: { type: 'object', required: ['name', 'label'], additionalProperties: false, properties: { name: { type: 'string' }, label: { type: 'string' } } },
    },
    expiresAt: dateTime,
  },
} as const;

export const PublicCompleteBody = {
  $id: 'PublicCompleteBody',
  type: 'object',
  required: ['outcome'],
  additionalProperties: false,
  properties: { outcome: { type: 'string', minLength: 1 }, data: anyObject },
} as const;

export type PublicCompleteBody = FromSchema<typeof PublicCompleteBody>;

export const PublicCompleted = {
  $id: 'PublicCompleted',
  type: 'object',
  required: ['completed', 'outcome'],
  additionalProperties: false,
  properties: { completed: { const: true }, outcome: { type: 'string' } },
} as const;

const link = {
  type: 'object',
  required: ['id', 'taskId', 'email', 'status', 'expiresAt', 'createdAt', 'createdBy'],
  properties: {
    id: { type: 'string' },
    taskId: { type: 'string' },
    email: { type: 'string' },
    name: nullableString,
    language: { type: 'string' },
    status: { type: 'string', enum: ['active', 'used', 'revoked', 'expired'] },
    expiresAt: dateTime,
    usedAt: nullableDateTime,
    revokedAt: nullableDateTime,
    createdAt: dateTime,
    createdBy: { type: 'string' },
  },
} as const;

export const TaskLink = { $id: 'TaskLink', ...link } as const;

export const TaskLinkList = { $id: 'TaskLinkList', type: 'object', required: ['items'], properties: { items: { type: 'array', items: link } } } as const;

export const SendTaskLinkBody = {
  $id: 'SendTaskLinkBody',
  type: 'object',
  additionalProperties: false,
  properties: {
    email: { type: 'string', format: 'email', description: "Whom to send it to; default: the address of the task's latest link." },
    expiresIn: { type: 'string', minLength: 1, description: 'Calendar time the link stays valid (`7d`, `48h`); default `7d`.' },
  },
} as const;

export type SendTaskLinkBody = FromSchema<typeof SendTaskLinkBody>;

export const taskLinksSchemas = [TaskLinkTokenParams, PublicTask, PublicCompleteBody, PublicCompleted, TaskLink, TaskLinkList, SendTaskLinkBody] as const;
