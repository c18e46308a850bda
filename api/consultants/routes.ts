import { FEATURE_ROLES } from '../../workflows/policy';
import { defineRoute, type RouteDef } from '../routing';
import { errorReply, UuidParams } from '../shared-schemas';
import { randomUUID } from 'node:crypto';
import { CREDIT_REQUESTED, KIT_PAID } from '../../domain/consultants';
import { optionalIdempotencyKey } from '../payments/deliveries';
import { ConsultantDetail, ConsultantPage, CreditRequestBody, KitMessageReceived, KitPaymentBody, ListConsultantsQuery, RegistrationAnswer, RegistrationBody, StatusChangeAnswer, StatusChangeBody } from './schemas';
import type { ConsultantService } from './service';

export function consultantRoutes(consultants: ConsultantService): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/consultants/registrations',
      summary: "Register a person as a consultant or a customer (seed 003): the person's enrollment starts, and the answer says where it got to",
      tag: 'consultants',
      auth: { roles: FEATURE_ROLES.registerConsultants },
      body: RegistrationBody,
      responses: {
        201: { description: 'Registered: the case it was, and the enrollment working it (waiting for approval or the start kit, or ended)', schema: RegistrationAnswer },
        403: errorReply('The person is on the blacklist (`blacklisted`): the message says so, with the reason'),
        404: errorReply('An accepted agreement does not exist'),
        409: errorReply('A registration of this person is already being processed (`registration_in_progress`), or an accepted agreement is no longer in force (`agreement_inactive`, naming the version in force)'),
        422: errorReply("The variables do not match the enrollment's schema (`invalid_variables`), naming each field; or an accepted agreement is not for this person (`agreement_not_applicable`)"),
      },
      handler: ({ user, body }) => consultants.register(user, body),
    }),
    defineRoute({
      method: 'get',
      path: '/api/consultants',
      summary: 'Consultants and customers of the sales force, newest first; by state, kind, zone, sponsor and registration date (a leader sees their own network)',
      tag: 'consultants',
      auth: { roles: FEATURE_ROLES.consultants },
      query: ListConsultantsQuery,
      responses: { 200: { description: 'A page of people', schema: ConsultantPage } },
      handler: ({ user, query }) => consultants.list(user, query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/consultants/:id',
      summary: 'A consultant: profile, documents, state history, registrations and network',
      tag: 'consultants',
      auth: { roles: FEATURE_ROLES.consultants, outsiders: 'notFound' },
      params: UuidParams,
      responses: { 200: { description: 'The consultant', schema: ConsultantDetail }, 404: errorReply('No such consultant, or not in your network') },
      handler: ({ user, params }) => consultants.get(user, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/consultants/:id/inactivation',
      summary: 'Inactivate an active consultant, with a reason (back office, or by web service): a consultant-status-change process makes it and e-mails them',
      tag: 'consultants',
      auth: { roles: FEATURE_ROLES.inactivateConsultants },
      params: UuidParams,
      body: StatusChangeBody,
      responses: {
        201: { description: 'Made (or being made: status running)', schema: StatusChangeAnswer },
        404: errorReply('No such consultant'),
        409: errorReply('Not an active consultant (`invalid_status_change`), or a change already being made (`change_in_progress`)'),
      },
      handler: ({ user, params, body }) => consultants.inactivate(user, params.id, body.reason),
    }),
    defineRoute({
      method: 'post',
      path: '/api/consultants/:id/reactivation',
      summary: "Reactivate an inactive consultant, with a reason: back office, or the leader of the consultant's network",
      tag: 'consultants',
      auth: { roles: FEATURE_ROLES.reactivateConsultants },
      params: UuidParams,
      body: StatusChangeBody,
      responses: {
        201: { description: 'Made (or being made: status running)', schema: StatusChangeAnswer },
        404: errorReply('No such consultant, or not in your network'),
        409: errorReply('Not an inactive consultant (`invalid_status_change`), or a change already being made (`change_in_progress`)'),
      },
      handler: ({ user, params, body }) => consultants.reactivate(user, params.id, body.reason),
    }),
    defineRoute({
      method: 'post',
      path: '/api/consultants/:id/kit-payment',
      summary: "The consultant's start kit paid: their enrollment records the payment and activates them",
      tag: 'consultants',
      auth: { roles: FEATURE_ROLES.kitPayments },
      params: UuidParams,
      body: KitPaymentBody,
      responses: {
        202: { description: 'Their enrollment took the payment (sent again with the same transactionId: the same payment)', schema: KitMessageReceived },
        404: errorReply('No such consultant'),
        409: errorReply('Their registration is not waiting for the start kit (`not_awaiting_kit`)'),
      },
      handler: ({ user, params, body }) => consultants.kitMessage(user, params.id, KIT_PAID, `kit-payment:${params.id}:${body.transactionId}`, body),
    }),
    defineRoute({
      method: 'post',
      path: '/api/consultants/:id/credit-requests',
      summary: 'The consultant asks for credit to buy the start kit: a credit-limit ticket opens for the credit approvers (the limit is 0 until approved)',
      tag: 'consultants',
      auth: { roles: FEATURE_ROLES.kitPayments },
      params: UuidParams,
      body: CreditRequestBody,
      headers: [{ name: 'Idempotency-Key', description: 'Optional, 1-200 letters, digits, ._:-: a retry with the same key is the same request' }],
      responses: {
        202: { description: 'Their enrollment took the request', schema: KitMessageReceived },
        404: errorReply('No such consultant'),
        409: errorReply('Their registration is not waiting for the start kit (`not_awaiting_kit`)'),
      },
      handler: ({ user, params, body, req }) =>
        consultants.kitMessage(user, params.id, CREDIT_REQUESTED, `credit-request:${params.id}:${optionalIdempotencyKey(req.get('idempotency-key')) ?? randomUUID()}`, body),
    }),
  ];
}
