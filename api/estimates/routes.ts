import { defineRoute, type RouteDef } from '../routing';
import { errorReply, UuidParams } from '../shared-schemas';
import { FEATURE_ROLES } from '../../workflows/policy';
import { Catalog, CreateEstimateBody, Estimate, ReviseEstimateBody } from './schemas';
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
      path: '/api/estimates/:id',
      summary: 'An estimate version, with its priced lines, totals and every version of its series',
      tag: 'estimates',
      auth,
      params: UuidParams,
      responses: { 200: { description: 'The estimate', schema: Estimate }, 404: errorReply('No such estimate') },
      handler: ({ params }) => estimates.get(params.id),
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
  ];
}
