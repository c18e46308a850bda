import type { Response } from 'express';
import { clientAddress } from '../auth/login-limits';
import { defineRoute, type RouteDef } from '../routing';
import { sendPdf } from '../file-reply';
import { errorReply, IdParams } from '../shared-schemas';
import { FEATURE_ROLES } from '../../workflows/policy';
import { IntakeReceived } from '../shared-schemas';
import { ProspectBody, Reentered } from './schemas';
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
        202: { description: 'Received (the same answer when this phone is already being attended)', schema: IntakeReceived },
        422: errorReply('A phone without 6 to 15 digits (`invalid_phone`)'),
        429: errorReply('Too many submissions from this address (`too_many_submissions`); Retry-After says when to try again'),
      },
      handler: ({ body, req }) => prospects.receive(body as ProspectBody, clientAddress(req)),
    }),
    defineRoute({
      method: 'get',
      path: '/api/residential-sales/:id/contract-request',
      summary: 'The service-contract request of a residential sale (seed 002, steps 21-23) as a PDF to print and sign: customer, plan and price, installation address, payment mode',
      tag: 'prospects',
      // Whoever sees the sale (workflows/policy.ts visibility): 404 otherwise.
      auth: 'user',
      params: IdParams,
      responses: {
        200: { description: 'The PDF document' },
        404: errorReply('No residential sale with this id that the caller can see'),
        409: errorReply('The customer has not accepted a plan yet (`no_accepted_offer`)'),
      },
      handler: async ({ params, user, req }) => sendPdf(req.res as Response, await prospects.contractRequest(user, params.id)),
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
