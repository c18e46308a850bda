/** Uploaded documents. Request and response schemas; api/schemas.ts registers them. */
import type { FromSchema } from 'json-schema-to-ts';
import { dateTime, nullableString, uuid } from '../shared-schemas';

export const DocumentUpload = {
  $id: 'DocumentUpload',
  type: 'object',
  required: ['file'],
  description: 'multipart/form-data. Send `kind` and `issuedAt` before `file` (a browser FormData keeps the order they were appended in).',
  properties: {
    kind: { type: 'string', description: 'A document kind some deployed definition declares (`documents:`); the sniffed type must be one it allows (422 otherwise).' },
    issuedAt: { type: 'string', format: 'date', description: 'The date the document was issued (YYYY-MM-DD), for kinds with a `maxAge`.' },
    file: { type: 'string', format: 'binary', description: 'The bytes. Their type is sniffed from them; the part\'s content type is ignored.' },
  },
} as const;

export const DocumentCreated = {
  $id: 'DocumentCreated',
  type: 'object',
  required: ['id', 'sha256', 'contentType', 'size'],
  properties: {
    id: uuid,
    sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    contentType: { type: 'string', description: 'Sniffed from the bytes (`application/octet-stream` when unknown).' },
    size: { type: 'integer' },
    kind: nullableString,
  },
} as const;

export const DocumentMeta = {
  $id: 'DocumentMeta',
  type: 'object',
  required: ['id', 'sha256', 'contentType', 'size', 'filename', 'kind', 'issuedAt', 'uploadedBy', 'uploadedAt', 'processId'],
  properties: {
    ...DocumentCreated.properties,
    filename: { type: 'string' },
    issuedAt: { type: ['string', 'null'], format: 'date' },
    uploadedBy: { type: 'string' },
    uploadedAt: dateTime,
    processId: { ...nullableString, description: 'The instance the document is attached to (by a task completion), or null.' },
  },
} as const;

export type DocumentMeta = FromSchema<typeof DocumentMeta>;

export const documentsSchemas = [DocumentUpload, DocumentCreated, DocumentMeta] as const;
