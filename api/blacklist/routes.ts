import { FEATURE_ROLES } from '../../workflows/policy';
import { defineRoute, type RouteDef } from '../routing';
import { errorReply } from '../shared-schemas';
import {
  BlacklistEntry, BlacklistIdParams, BlacklistPage, BlacklistReason, BlacklistReasonChangeBody, BlacklistReasonList, BlacklistReasonParams, BlacklistRemovalBody, ListBlacklistQuery,
  NewBlacklistEntryBody, NewBlacklistReasonBody,
} from './schemas';
import type { BlacklistService } from './service';

export function blacklistRoutes(blacklist: BlacklistService): RouteDef[] {
  const auth = { roles: FEATURE_ROLES.blacklist };
  return [
    defineRoute({
      method: 'get',
      path: '/api/blacklist',
      summary: 'The blacklist (seed 003): who may not register, newest first; by country, document or e-mail, removed entries on request',
      tag: 'consultants',
      auth,
      query: ListBlacklistQuery,
      responses: { 200: { description: 'A page of entries', schema: BlacklistPage } },
      handler: ({ query }) => blacklist.list(query),
    }),
    defineRoute({
      method: 'post',
      path: '/api/blacklist',
      summary: "Blacklist a person, with one of the company's reasons: their registrations end blocked from now on",
      tag: 'consultants',
      auth,
      body: NewBlacklistEntryBody,
      responses: { 201: { description: 'The entry', schema: BlacklistEntry }, 422: errorReply('Not an active reason (`unknown_reason`), naming the reasons') },
      handler: ({ user, body }) => blacklist.add(user, body),
    }),
    defineRoute({
      method: 'post',
      path: '/api/blacklist/:id/removal',
      summary: 'Take a person off the blacklist: the entry is kept, with who removed it and why, and blocks no one',
      tag: 'consultants',
      auth,
      params: BlacklistIdParams,
      body: BlacklistRemovalBody,
      responses: { 200: { description: 'The entry, removed (as it was, when it was removed before)', schema: BlacklistEntry }, 404: errorReply('No such entry') },
      handler: ({ user, params, body }) => blacklist.remove(user, params.id, body.reason),
    }),
    defineRoute({
      method: 'get',
      path: '/api/blacklist/reasons',
      summary: "The company's blacklist reasons (\"motivos de lista negra\")",
      tag: 'consultants',
      auth,
      responses: { 200: { description: 'Every reason, active or not', schema: BlacklistReasonList } },
      handler: () => blacklist.reasons(),
    }),
    defineRoute({
      method: 'post',
      path: '/api/blacklist/reasons',
      summary: 'Add a blacklist reason',
      tag: 'consultants',
      auth,
      body: NewBlacklistReasonBody,
      responses: { 201: { description: 'The reason', schema: BlacklistReason }, 409: errorReply('The code is taken (`reason_exists`)') },
      handler: ({ body }) => blacklist.addReason(body.code, body.label),
    }),
    defineRoute({
      method: 'put',
      path: '/api/blacklist/reasons/:code',
      summary: 'Relabel a blacklist reason, or (in)activate it',
      tag: 'consultants',
      auth,
      params: BlacklistReasonParams,
      body: BlacklistReasonChangeBody,
      responses: { 200: { description: 'The reason', schema: BlacklistReason }, 404: errorReply('No such reason') },
      handler: ({ params, body }) => blacklist.changeReason(params.code, body),
    }),
  ];
}
