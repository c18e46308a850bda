import { defineRoute, type RouteDef } from '../routing';
import { errorReply, UuidParams } from '../shared-schemas';
import { DocumentCreated, DocumentMeta, DocumentUpload } from './schemas';
import type { DocumentService } from './service';

export function documentRoutes(documents: DocumentService, maxBytes: number): RouteDef[] {
  const notFound = errorReply('No such document, or the caller may not see it (`not_found`)');
  return [
    defineRoute({
      method: 'post',
      path: '/api/documents',
      summary: `Upload a document (at most ${maxBytes} bytes): it streams into the store, its type sniffed from its bytes; visible to its uploader and operators until a task completion attaches it to an instance`,
      tag: 'documents',
      auth: 'user',
      body: DocumentUpload,
      bodyTypes: ['multipart/form-data'],
      streamBody: true,
      responses: {
        201: { description: 'Stored (the same bytes uploaded before are kept once: same sha256)', schema: DocumentCreated },
        400: errorReply('Not multipart, no `file` field, or more than one file (`invalid_request`)'),
        413: errorReply(`The file is larger than documents.maxBytes (${maxBytes}) (\`entity_too_large\`)`),
        422: errorReply('The bytes are not of a type the `kind` allows, or not what the file name says (`wrong_file_type`, details name kind and sniffed type); unknown kind (`unknown_document_kind`); empty file or bad `issuedAt` (`invalid_document`)'),
      },
      handler: ({ req, user }) => documents.upload(user, req),
    }),
    defineRoute({
      method: 'get',
      path: '/api/documents/:id',
      summary: "A document's bytes, with its sniffed content type, as an attachment (seen by whoever sees its instance; before that, its uploader and operators)",
      tag: 'documents',
      auth: 'user',
      params: UuidParams,
      responses: { 200: { description: 'The bytes' }, 404: notFound },
      handler: ({ params, user, req }) => documents.download(user, params.id, req.res!),
    }),
    defineRoute({
      method: 'get',
      path: '/api/documents/:id/meta',
      summary: "A document's metadata: type, size, kind, issue date, uploader, instance",
      tag: 'documents',
      auth: 'user',
      params: UuidParams,
      responses: { 200: { description: 'The metadata', schema: DocumentMeta }, 404: notFound },
      handler: ({ params, user }) => documents.meta(user, params.id),
    }),
  ];
}
