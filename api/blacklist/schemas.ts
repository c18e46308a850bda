/** Seed 003's blacklist (`/api/blacklist`) and the company's list of reasons (`/api/blacklist/reasons`). */
import type { FromSchema } from 'json-schema-to-ts';
import { dateTime, kebabId, limit, nullableDateTime, nullableString, offset, page, reason, shortText } from '../shared-schemas';

const country = { type: 'string', pattern: '^[A-Za-z]{2}$', description: 'ISO country code' } as const;
const documentNumber = { type: 'string', minLength: 4, maxLength: 30 } as const;

export const NewBlacklistEntryBody = {
  $id: 'NewBlacklistEntryBody',
  type: 'object',
  required: ['country', 'documentType', 'documentNumber', 'reasonCode', 'reason'],
  additionalProperties: false,
  properties: {
    country, documentType: { type: 'string', minLength: 1, maxLength: 10 }, documentNumber,
    email: { type: 'string', format: 'email', maxLength: 254, description: 'Also blocks a registration with this e-mail, whatever its document.' },
    reasonCode: { ...kebabId, description: 'One of the active reasons of GET /api/blacklist/reasons.' },
    reason: { ...reason, description: 'What happened, in the words of who adds it.' },
  },
} as const;
export type NewBlacklistEntryBody = FromSchema<typeof NewBlacklistEntryBody>;

export const BlacklistRemovalBody = {
  $id: 'BlacklistRemovalBody',
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: { reason: { ...reason, description: 'Why the person is taken off the list: kept with the entry.' } },
} as const;

export const ListBlacklistQuery = {
  $id: 'ListBlacklistQuery',
  type: 'object',
  additionalProperties: false,
  properties: { country, documentNumber, email: { type: 'string', maxLength: 254 }, includeRemoved: { type: 'boolean', default: false }, limit, offset },
} as const;
export type ListBlacklistQuery = FromSchema<typeof ListBlacklistQuery>;

export const BlacklistIdParams = {
  $id: 'BlacklistIdParams',
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,17}$' } },
} as const;

const entry = {
  type: 'object',
  required: ['id', 'country', 'documentType', 'documentNumber', 'email', 'reasonCode', 'reason', 'createdBy', 'createdAt', 'removedAt', 'removedBy', 'removalReason'],
  properties: {
    id: { type: 'string' }, country: { type: 'string' }, documentType: { type: 'string' }, documentNumber: { type: 'string' }, email: nullableString,
    reasonCode: { type: 'string' }, reason: { type: 'string' }, createdBy: nullableString, createdAt: dateTime,
    removedAt: { ...nullableDateTime, description: 'Set once removed: the entry blocks no one any more.' }, removedBy: nullableString, removalReason: nullableString,
  },
} as const;
export const BlacklistEntry = { $id: 'BlacklistEntry', ...entry } as const;
export const BlacklistPage = { $id: 'BlacklistPage', ...page(entry) } as const;

export const NewBlacklistReasonBody = {
  $id: 'NewBlacklistReasonBody',
  type: 'object',
  required: ['code', 'label'],
  additionalProperties: false,
  properties: { code: kebabId, label: shortText },
} as const;
export const BlacklistReasonChangeBody = {
  $id: 'BlacklistReasonChangeBody',
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  properties: { label: shortText, active: { type: 'boolean', description: 'An inactive reason stays on its entries and is offered for no new one.' } },
} as const;
export const BlacklistReasonParams = { $id: 'BlacklistReasonParams', type: 'object', required: ['code'], properties: { code: kebabId } } as const;

const reasonItem = { type: 'object', required: ['code', 'label', 'active'], properties: { code: { type: 'string' }, label: { type: 'string' }, active: { type: 'boolean' } } } as const;
export const BlacklistReason = { $id: 'BlacklistReason', ...reasonItem } as const;
export const BlacklistReasonList = { $id: 'BlacklistReasonList', type: 'object', required: ['items'], properties: { items: { type: 'array', items: reasonItem } } } as const;

export const blacklistSchemas = [NewBlacklistEntryBody, BlacklistRemovalBody, ListBlacklistQuery, BlacklistIdParams, BlacklistEntry, BlacklistPage, NewBlacklistReasonBody, BlacklistReasonChangeBody, BlacklistReasonParams, BlacklistReason, BlacklistReasonList] as const;
