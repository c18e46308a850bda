/** Seed 001's web-to-lead form (public) and the snippet a website embeds. */
import type { FromSchema } from 'json-schema-to-ts';
import { honeypotField } from '../shared-schemas';

export const WebLeadBody = {
  $id: 'WebLeadBody',
  type: 'object',
  required: ['name', 'email'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    email: { type: 'string', format: 'email', maxLength: 254 },
    company: { type: 'string', maxLength: 200 },
    phone: { type: 'string', maxLength: 40 },
    message: { type: 'string', maxLength: 2000 },
    website: honeypotField,
  },
} as const;

export type WebLeadBody = FromSchema<typeof WebLeadBody>;

export const LeadFormSnippet = {
  $id: 'LeadFormSnippet',
  type: 'object',
  required: ['html', 'action'],
  properties: {
    html: { type: 'string', description: 'An HTML form to paste into a page of the company website.' },
    action: { type: 'string', description: 'Where it posts (application/x-www-form-urlencoded); the browser then lands on /portal/lead-received.' },
  },
} as const;

export const LeadNoteBody = {
  $id: 'LeadNoteBody',
  type: 'object',
  required: ['body'],
  additionalProperties: false,
  properties: { body: { type: 'string', minLength: 1, maxLength: 5000, description: 'What happened: a call, a meeting, what the lead said.' } },
} as const;

export type LeadNoteBody = FromSchema<typeof LeadNoteBody>;

const leadNote = {
  type: 'object',
  required: ['id', 'processId', 'author', 'body', 'createdAt'],
  properties: { id: { type: 'string' }, processId: { type: 'string' }, author: { type: 'string' }, body: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' } },
} as const;

export const LeadNote = { $id: 'LeadNote', ...leadNote } as const;

export const LeadNoteList = {
  $id: 'LeadNoteList',
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: leadNote, description: 'Newest first.' } },
} as const;

export const FollowUpBody = {
  $id: 'FollowUpBody',
  type: 'object',
  required: ['title', 'dueAt'],
  additionalProperties: false,
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 200, description: 'What to do.' },
    dueAt: { type: 'string', format: 'date-time', description: 'When it is due: the task turns overdue then, and is escalated to admin.' },
    notes: { type: 'string', maxLength: 2000 },
  },
} as const;
export type FollowUpBody = FromSchema<typeof FollowUpBody>;

export const FollowUpSet = {
  $id: 'FollowUpSet',
  type: 'object',
  required: ['followUpId', 'leadId', 'dueAt'],
  properties: { followUpId: { type: 'string', description: "The follow-up's process; its task is in the salesperson's inbox." }, leadId: { type: 'string' }, dueAt: { type: 'string', format: 'date-time' } },
} as const;

export const leadSchemas = [WebLeadBody, LeadFormSnippet, LeadNoteBody, LeadNote, LeadNoteList, FollowUpBody, FollowUpSet] as const;
