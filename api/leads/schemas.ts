/** Seed 001's web-to-lead form (public) and the snippet a website embeds. */
import type { FromSchema } from 'json-schema-to-ts';

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
    website: { type: 'string', maxLength: 500, description: 'Leave empty: a form field people do not see, which bots fill in.' },
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

export const leadSchemas = [WebLeadBody, LeadFormSnippet] as const;
