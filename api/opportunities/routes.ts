import { defineRoute, type RouteDef } from '../routing';
import { ContactsCsv, ImportContactsQuery, ImportRowList, ImportRowsQuery, ImportStatus, LeadBody, LeadResponse } from './schemas';
import { errorReply, UuidParams } from '../shared-schemas';
import { FEATURE_ROLES, RECORD_READERS } from '../../workflows/policy';
import { csvTooLargeReply, csvUpload, MAX_CSV_BYTES } from '../csv';
import type { OpportunityService } from './service';

export function opportunityRoutes(opportunities: OpportunityService): RouteDef[] {
  const notFound = errorReply('No such import');
  return [
    defineRoute({
      method: 'post',
      path: '/api/opportunities',
      summary: 'A lead (landing form, partner, assisted deal): its opportunity and, when new, its digital-opportunity process',
      tag: 'opportunities',
      auth: { roles: FEATURE_ROLES.bringLeads },
      body: LeadBody,
      responses: {
        201: { description: 'New opportunity; its process started', schema: LeadResponse },
        200: { description: 'The contact already has an open opportunity (created: false); no second process', schema: LeadResponse },
        422: errorReply('Bad RUT (format or check digit), unknown channel or owner; `details` name each field (`invalid_lead`)'),
      },
      handler: ({ body, user }) => opportunities.createLead(user, body),
      status: (lead) => (lead.created ? 201 : 200),
    }),
    defineRoute({
      method: 'post',
      path: '/api/imports/contacts',
      summary: `Import a CRM CSV of contacts (at most ${MAX_CSV_BYTES} bytes): the file streams in, then a durable job works its rows`,
      tag: 'imports',
      auth: { roles: FEATURE_ROLES.bringLeads },
      query: ImportContactsQuery,
      body: ContactsCsv,
      ...csvUpload,
      responses: {
        202: { description: 'Import accepted (rows stored, job started); poll GET /api/imports/{id}', schema: ImportStatus },
        413: csvTooLargeReply,
        422: errorReply('The file cannot be read: broken quoting, bad header, no rows (`details` name the line)'),
        503: errorReply('Temporal is unavailable: the import was not started (`temporal_unavailable`)'),
      },
      handler: ({ query, req, user }) => opportunities.startImport(user, req, query.filename ?? 'contacts.csv'),
    }),
    defineRoute({
      method: 'get',
      path: '/api/imports/:id',
      summary: 'An import: status, counts and progress (processed/total)',
      tag: 'imports',
      auth: { roles: RECORD_READERS.contactImport, outsiders: 'notFound' },
      params: UuidParams,
      responses: { 200: { description: 'The import', schema: ImportStatus }, 404: notFound },
      handler: ({ params }) => opportunities.getImport(params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/api/imports/:id/rows',
      summary: "An import's worked rows by line, e.g. `?status=invalid` with their reasons (`?status=pending`: the rows not worked yet)",
      tag: 'imports',
      auth: { roles: RECORD_READERS.contactImport, outsiders: 'notFound' },
      params: UuidParams,
      query: ImportRowsQuery,
      responses: { 200: { description: 'A page of rows', schema: ImportRowList }, 404: notFound },
      handler: ({ params, query }) => opportunities.importRows(params.id, query),
    }),
  ];
}
