import type { Response } from 'express';
import { defineRoute, type RouteDef } from '../routing';
import { sendPdf } from '../file-reply';
import { errorReply, UuidParams } from '../shared-schemas';
import { clientAddress } from '../auth/login-limits';
import { TaskLinkTokenParams } from '../task-links/schemas';
import { FEATURE_ROLES } from '../../workflows/policy';
import { Catalog, ClientEstimate, CreateEstimateBody, DeclineEstimateBody, Estimate, EstimateSent, ReviseEstimateBody, SendEstimateBody, EstimateList, ListEstimatesQuery } from './schemas';
import type { EstimateService } from './service';

export function estimateRoutes(estimates: EstimateService): RouteDef[] {
  const auth = { roles: FEATURE_ROLES.estimates };
  return [
    defineRoute({
      method: 'get',
      path: '/api/catalog',
      summary: "Seed 001's catalog: the items estimates are built from, with their price and tax",
      tag: 'estimates',
      auth,
      responses: { 200: { description: 'The active items', schema: Catalog } },
      handler: () => estimates.catalog(),
    }),
    defineRoute({
      method: 'post',
      path: '/api/estimates',
      summary: 'Create an estimate (version 1) from catalog items, quantities and discounts; the totals are computed, in minor units',
      tag: 'estimates',
      auth,
      body: CreateEstimateBody,
      responses: {
        201: { description: 'The estimate', schema: Estimate },
        422: errorReply('A bad line (`invalid_estimate`: unknown item, another currency, quantity, discount), or totals given that do not add up (`totals_mismatch`); `details` name each'),
      },
      handler: ({ user, body }) => estimates.create(user, body),
    }),
    defineRoute({
      method: 'get',
      path: '/api/estimates',
      summary: "A lead's estimates: the live version of each series it owns, newest first",
      tag: 'estimates',
      auth,
      query: ListEstimatesQuery,
      responses: { 200: { description: 'The estimates', schema: EstimateList } },
      handler: ({ query }) => estimates.list(query.processId),
    }),
    defineRoute({
      method: 'get',
      path: '/api/estimates/:id',
      summary: 'An estimate version, with its priced lines, totals and every version of its series',
      tag: 'estimates',
      auth,
      params: UuidParams,
      responses: { 200: { description: 'The estimate', schema: Estimate }, 404: errorReply('No such estimate') },
      handler: ({ params }) => estimates.get(params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/api/estimates/:id/pdf',
      summary: 'An estimate version as a PDF (application/pdf)',
      tag: 'estimates',
      auth,
      params: UuidParams,
      responses: { 200: { description: 'The PDF document' }, 404: errorReply('No such estimate') },
      handler: async ({ params, req }) => sendPdf(req.res as Response, await estimates.pdf(params.id)),
    }),
    defineRoute({
      method: 'post',
      path: '/api/estimates/:id/revisions',
      summary: 'Revise an estimate: a new version with new lines, which supersedes this one',
      tag: 'estimates',
      auth,
      params: UuidParams,
      body: ReviseEstimateBody,
      responses: {
        201: { description: 'The new version', schema: Estimate },
        404: errorReply('No such estimate'),
        409: errorReply('This version is not the live one (`estimate_not_live`): superseded, accepted or declined; `details.liveVersion` names the one to revise'),
        422: errorReply('As for a new estimate'),
      },
      handler: ({ user, params, body }) => estimates.revise(user, params.id, body),
    }),
    defineRoute({
      method: 'post',
      path: '/api/estimates/:id/send',
      summary: "Send an estimate version to the client's portal: it is marked sent and a single-use link is e-mailed (earlier links of the series stop working)",
      tag: 'estimates',
      auth,
      params: UuidParams,
      body: SendEstimateBody,
      responses: {
        200: { description: 'Sent', schema: EstimateSent },
        404: errorReply('No such estimate'),
        409: errorReply('Not the live version (`estimate_not_live`): superseded, accepted or declined'),
        422: errorReply('A bad `expiresIn` (`invalid_duration`)'),
      },
      handler: ({ user, params, body }) => estimates.send(user, params.id, body),
    }),
    ...portalRoutes(estimates),
  ];
}

const gone = errorReply('The link was replaced by a newer one (link_revoked), already answered (link_used) or expired (link_expired)');

/** The client's side (public: the link's token is the credential), limited per address like task links. */
function portalRoutes(estimates: EstimateService): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/public/estimates/:token',
      summary: 'The estimate a client\'s link opens (public; the token is the credential)',
      tag: 'portal',
      auth: 'public',
      params: TaskLinkTokenParams,
      responses: { 200: { description: 'The estimate', schema: ClientEstimate }, 404: errorReply('No such link'), 410: gone, 429: errorReply('Too many attempts from this address') },
      handler: ({ params, req }) => estimates.openForClient(params.token, clientAddress(req)),
    }),
    defineRoute({
      method: 'get',
      path: '/api/public/estimates/:token/pdf',
      summary: "The PDF of the estimate a client's link opens (public)",
      tag: 'portal',
      auth: 'public',
      params: TaskLinkTokenParams,
      responses: { 200: { description: 'The PDF document' }, 404: errorReply('No such link'), 410: gone, 429: errorReply('Too many attempts from this address') },
      handler: async ({ params, req }) => sendPdf(req.res as Response, await estimates.pdfForClient(params.token, clientAddress(req))),
    }),
    ...(['accept', 'decline'] as const).map((action) =>
      defineRoute({
        method: 'post',
        path: `/api/public/estimates/:token/${action}`,
        summary: action === 'accept' ? 'The client accepts the estimate (public)' : 'The client declines the estimate, optionally saying why (public)',
        tag: 'portal',
        auth: 'public',
        params: TaskLinkTokenParams,
        // Accepting needs no body; declining may say why.
        ...(action === 'decline' ? { body: DeclineEstimateBody, bodyOptional: true as const } : {}),
        responses: {
          200: { description: "The estimate as it now is, once the lead's process took the answer", schema: ClientEstimate },
          404: errorReply('No such link'),
          409: errorReply("The version was revised (`estimate_superseded`): `details.liveVersion` names the newer one; or the lead's process no longer waits for an answer (`not_heard`)"),
          410: gone,
          429: errorReply('Too many attempts from this address'),
        },
        handler: ({ params, body, req }) =>
          estimates.answer(params.token, clientAddress(req), action === 'accept' ? 'accepted' : 'declined', action === 'decline' ? ((body as { reason?: string } | undefined)?.reason ?? null) : null),
      }),
    ),
  ];
}
