/** The public prospect intake of seed 002. Request and response schemas; api/schemas.ts registers them. */
import { PROSPECT_CHANNELS } from '../../domain/residential';
import { honeypotField } from '../shared-schemas';

export const ProspectBody = {
  $id: 'ProspectBody',
  type: 'object',
  required: ['name', 'phone', 'channel'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    phone: { type: 'string', minLength: 6, maxLength: 30, description: 'Any notation: only its digits identify the prospect.' },
    email: { type: 'string', format: 'email', maxLength: 254 },
    channel: { type: 'string', enum: PROSPECT_CHANNELS, description: 'Where the prospect asked: the web form, Facebook, the chatbot, WhatsApp…' },
    message: { type: 'string', maxLength: 2000 },
    website: honeypotField,
  },
} as const;

export type ProspectBody = {
  name: string;
  phone: string;
  email?: string;
  channel: (typeof PROSPECT_CHANNELS)[number];
  message?: string;
  website?: string;
};

export const Reentered = {
  $id: 'Reentered',
  type: 'object',
  required: ['id', 'definitionId', 'version', 'businessKey', 'reentryOf'],
  properties: {
    id: { type: 'string', description: 'The new sale.' },
    definitionId: { type: 'string' },
    version: { type: 'integer' },
    businessKey: { type: 'string', description: 'The unattended sale\'s, free again since it ended.' },
    reentryOf: { type: 'string', description: 'The unattended sale.' },
  },
} as const;

export const prospectsSchemas = [ProspectBody, Reentered] as const;
