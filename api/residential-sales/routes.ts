import { clientAddress } from '../auth/login-limits';
import { defineRoute, type RouteDef } from '../routing';
import { errorReply, IdParams } from '../shared-schemas';
import { FEATURE_ROLES } from '../../workflows/policy';
import { ProspectBody, ProspectReceived, Reentered } from './schemas';
import type { ProspectService } from './service';

export function prospectRoutes(prospects: ProspectService): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/public/prospects',
      summary: 'A prospect from the web form, social networks or the chatbot (public, limited per address): starts their residential sale',
      tag: 'prospects',
      auth: 'public',
      body: ProspectBody,
      responses: {
        202: { description: 'Received (the same answer when this phone is already being attended)', schema: ProspectReceived },
        422: errorReply('A phone without 6 to 15 digits (`invalid_phone`)'),
        429: errorReply('Too many submissions from this address (`too_many_submissions`); Retry-After says when to try again'),
      },
      handler: ({ body, req }) => prospects.receive(body as ProspectBody, clientAddress(req)),
    }),
    defineRoute({
      method: 'post',
      path: '/api/residential-sales/:id/reentry',
      summary: 'Re-enter an unattended residential sale (seed 002, step 20): a new sale linked to it, carrying its prospect and customer data',
      tag: 'prospects',
      auth: { roles: FEATURE_ROLES.reenterSales },
      params: IdParams,
      responses: {
        201: { description: 'The new sale', schema: Reentered },
        404: errorReply('No unattended residential request with this id'),
        409: errorReply('Re-entered already (`already_reentered`), or its business key has a running sale (`duplicate_business_key`)'),
      },
      handler: ({ params, user }) => prospects.reenter(user, params.id),
    }),
  ];
}
