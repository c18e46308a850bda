/** Leads and CRM imports. Request and response schemas; api/schemas.ts registers them. */
import type { FromSchema } from 'json-schema-to-ts';
import { shortText, uuid, nullableString, dateTime, nullableDateTime, stringList, rutText, companyRef, limit, offset, page } from '../shared-schemas';

export const LeadBody = {
  $id: 'LeadBody',
  type: 'object',
  required: ['email', 'name', 'channel'],
  additionalProperties: false,
  properties: {
    email: { type: 'string', minLength: 1, maxLength: 320, description: "The contact's email (checked like every email in Cauce: 422 naming it); one contact per email, compared lower-cased." },
    name: shortText,
    phone: { type: 'string', minLength: 1, maxLength: 50 },
    rut: rutText,
    company: companyRef,
    channel: { type: 'string', minLength: 1, maxLength: 50, description: 'Origin: `landing`, `hubspot`, `assisted`, `partner`, `ecommerce` or `upgrade`.' },
    sourceDetail: { type: 'string', minLength: 1, maxLength: 100, description: 'e.g. `form`, `campaign`, `referral`, `executive`.' },
    campaign: shortText,
    partner: shortText,
    ownerId: { ...uuid, description: "The owner to assign; default: the contact's, else its company's, else round-robin in the process." },
  },
} as const;

export type LeadBody = FromSchema<typeof LeadBody>;

export const LeadResponse = {
  $id: 'LeadResponse',
  type: 'object',
  required: ['opportunityId', 'contactId', 'companyId', 'ownerId', 'created', 'processId'],
  properties: {
    opportunityId: { type: 'string', description: 'Also the business key of every process of this sale.' },
    contactId: { type: 'string' },
    companyId: nullableString,
    ownerId: nullableString,
    created: { type: 'boolean', description: 'false: the contact already had an open opportunity (returned, no second process).' },
    processId: { ...nullableString, description: 'The running digital-opportunity process of the opportunity, if any.' },
  },
} as const;

export const ContactsCsv = {
  $id: 'ContactsCsv',
  type: 'string',
  minLength: 1,
  description:
    'CSV with a header row, at most 10 MiB. Columns: email, name (required); phone, rut, company, company_rut, channel (default hubspot), source (bulk | partner | campaign | referral; default bulk), campaign, partner, owner_email.',
} as const;

export const ImportContactsQuery = {
  $id: 'ImportContactsQuery',
  type: 'object',
  additionalProperties: false,
  properties: { filename: { type: 'string', minLength: 1, maxLength: 500, description: 'Name shown for the import (default contacts.csv).' } },
} as const;

export type ImportContactsQuery = FromSchema<typeof ImportContactsQuery>;

/** `pending`: stored by the upload, not worked by the import job yet. */
const importRowStatus = { type: 'string', enum: ['pending', 'created', 'duplicate', 'invalid'] } as const;

export const ImportStatus = {
  $id: 'ImportStatus',
  type: 'object',
  required: ['id', 'status', 'totalRows', 'processedRows', 'createdRows', 'duplicateRows', 'invalidRows', 'progress'],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string' },
    filename: { type: 'string' },
    sha256: { type: 'string' },
    status: { type: 'string', enum: ['running', 'completed', 'failed'] },
    totalRows: { type: 'integer' },
    processedRows: { type: 'integer' },
    createdRows: { type: 'integer', description: 'Rows that opened an opportunity and started its process.' },
    duplicateRows: { type: 'integer', description: 'Rows whose contact already had an open opportunity.' },
    invalidRows: { type: 'integer' },
    progress: {
      type: 'object',
      required: ['processed', 'total', 'percent'],
      properties: { processed: { type: 'integer' }, total: { type: 'integer' }, percent: { type: 'integer' } },
    },
    error: { ...nullableString, description: 'Why a failed import stopped (`line N: …`); rows before it are kept.' },
    createdBy: { type: 'string' },
    createdAt: dateTime,
    finishedAt: nullableDateTime,
  },
} as const;

export const ImportRowsQuery = {
  $id: 'ImportRowsQuery',
  type: 'object',
  additionalProperties: false,
  properties: { status: importRowStatus, limit, offset },
} as const;

export type ImportRowsQuery = FromSchema<typeof ImportRowsQuery>;

export const ImportRowList = {
  $id: 'ImportRowList',
  ...page({
    type: 'object',
    required: ['line', 'status', 'errors'],
    properties: {
      line: { type: 'integer', description: 'CSV line; the header is line 1.' },
      status: importRowStatus,
      errors: { ...stringList, description: 'Why an invalid row was refused, each naming its column.' },
      contactId: nullableString,
      opportunityId: nullableString,
    },
  }),
} as const;

export const opportunitiesSchemas = [LeadBody, LeadResponse, ContactsCsv, ImportContactsQuery, ImportStatus, ImportRowsQuery, ImportRowList] as const;
