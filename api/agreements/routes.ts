import type { Response } from 'express';
import { FEATURE_ROLES } from '../../workflows/policy';
import { defineRoute, type RouteDef } from '../routing';
import { errorReply, UuidParams } from '../shared-schemas';
import { AcceptanceBody, AcceptancePage, AcceptanceParams, AcceptancesQuery, Agreement, AgreementAccepted, AgreementList, AgreementSummary, AgreementPublished, ConsultantAgreements, ListAgreementsQuery, NewAgreementBody } from './schemas';
import type { AgreementService } from './service';

export function agreementRoutes(agreements: AgreementService): RouteDef[] {
  const auth = { roles: FEATURE_ROLES.agreements };
  return [
    defineRoute({
      method: 'get',
      path: '/api/agreements',
      summary: "Seed 003's agreements (contracts, terms, Habeas Data), every version, by country and whether in force",
      tag: 'consultants',
      auth,
      query: ListAgreementsQuery,
      responses: { 200: { description: 'By code, newest version first', schema: AgreementList } },
      handler: ({ query }) => agreements.list(query),
    }),
    defineRoute({
      method: 'post',
      path: '/api/agreements',
      summary: "Publish an agreement: a code already published gets its next version, which inactivates the one in force (earlier acceptances do not cover it)",
      tag: 'consultants',
      auth,
      body: NewAgreementBody,
      responses: { 201: { description: 'The version published, and the one it inactivated', schema: AgreementPublished } },
      handler: ({ user, body }) => agreements.publish(user, body),
    }),
    // Before /api/agreements/:id, which would take `acceptances` for an id.
    defineRoute({
      method: 'get',
      path: '/api/agreements/acceptances',
      summary: 'Who accepted which agreement and version, when and where (the legal-texts report); format=csv exports them',
      tag: 'consultants',
      auth,
      query: AcceptancesQuery,
      responses: { 200: { description: 'Oldest first (format=csv: text/csv, every row)', schema: AcceptancePage } },
      handler: ({ query, req }) => agreements.acceptances(query, req.res as Response),
    }),
    defineRoute({
      method: 'get',
      path: '/api/agreements/:id',
      summary: 'An agreement version, with its content',
      tag: 'consultants',
      auth: { ...auth, outsiders: 'notFound' },
      params: UuidParams,
      responses: { 200: { description: 'The agreement', schema: Agreement }, 404: errorReply('No such agreement') },
      handler: ({ params }) => agreements.get(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/agreements/:id/inactivation',
      summary: 'Withdraw an agreement version without a new one: nobody is asked to accept it any more',
      tag: 'consultants',
      auth,
      params: UuidParams,
      responses: { 200: { description: 'The version, inactive', schema: AgreementSummary }, 404: errorReply('No such agreement') },
      handler: ({ params }) => agreements.inactivate(params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/api/consultants/:id/agreements',
      summary: "A consultant's agreements: those accepted, and those pending (in force, applying to them, their version not accepted), which the profile and the next login ask for",
      tag: 'consultants',
      auth: { roles: FEATURE_ROLES.registerConsultants, outsiders: 'notFound' },
      params: UuidParams,
      responses: { 200: { description: 'Pending and accepted', schema: ConsultantAgreements }, 404: errorReply('No such consultant') },
      handler: ({ params }) => agreements.ofConsultant(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/consultants/:id/agreements/:agreementId/acceptance',
      summary: 'Record that the consultant accepted an agreement version in force (once: accepting again keeps the first acceptance)',
      tag: 'consultants',
      auth: { roles: FEATURE_ROLES.registerConsultants },
      params: AcceptanceParams,
      body: AcceptanceBody,
      responses: {
        201: { description: 'Accepted', schema: AgreementAccepted },
        404: errorReply('No such consultant or agreement'),
        409: errorReply('The version is no longer in force (`agreement_inactive`), naming the version that replaced it'),
        422: errorReply('The agreement is for another country or rank (`agreement_not_applicable`)'),
      },
      handler: ({ user, params, body }) => agreements.accept(user, params.id, params.agreementId, body.page),
    }),
  ];
}
