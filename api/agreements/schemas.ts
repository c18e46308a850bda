/** Seed 003's agreements (`/api/agreements`) and a consultant's acceptances (`/api/consultants/:id/agreements`). */
import type { FromSchema } from 'json-schema-to-ts';
import { AGREEMENT_PAGES } from '../../domain/agreements';
import { dateTime, kebabId, limit, nullableDateTime, nullableString, offset, page, shortText, uuid } from '../shared-schemas';

const country = { type: 'string', pattern: '^[A-Za-z]{2}$', description: 'ISO country code' } as const;
const pages = { type: 'array', minItems: 1, uniqueItems: true, items: { enum: AGREEMENT_PAGES }, description: 'Where it is shown to be accepted.' } as const;

export const NewAgreementBody = {
  $id: 'NewAgreementBody',
  type: 'object',
  required: ['code', 'country', 'title', 'content', 'pages'],
  additionalProperties: false,
  properties: {
    code: { ...kebabId, description: "The agreement's code: publishing one whose code exists makes its next version and inactivates the active one." },
    country, rank: { ...shortText, description: 'Only consultants of this rank (default: everyone in the country).' }, title: shortText,
    content: { type: 'string', minLength: 1, maxLength: 100_000 }, pages,
  },
} as const;
export type NewAgreementBody = FromSchema<typeof NewAgreementBody>;

export const ListAgreementsQuery = {
  $id: 'ListAgreementsQuery', type: 'object', additionalProperties: false, properties: { country, active: { type: 'boolean' } },
} as const;
export type ListAgreementsQuery = FromSchema<typeof ListAgreementsQuery>;

export const AcceptancesQuery = {
  $id: 'AcceptancesQuery',
  type: 'object',
  additionalProperties: false,
  properties: { agreementId: uuid, country, format: { enum: ['json', 'csv'], default: 'json' }, limit: { ...limit, maximum: 10_000 }, offset },
} as const;
export type AcceptancesQuery = FromSchema<typeof AcceptancesQuery>;

export const AcceptanceBody = {
  $id: 'AcceptanceBody', type: 'object', required: ['page'], additionalProperties: false, properties: { page: { enum: AGREEMENT_PAGES, description: 'Where the person accepted it.' } },
} as const;

export const AcceptanceParams = {
  $id: 'AcceptanceParams', type: 'object', required: ['id', 'agreementId'], properties: { id: uuid, agreementId: uuid },
} as const;

const summary = {
  type: 'object',
  required: ['id', 'code', 'version', 'country', 'rank', 'title', 'pages', 'active', 'createdAt', 'inactivatedAt'],
  properties: {
    id: uuid, code: { type: 'string' }, version: { type: 'integer' }, country: { type: 'string' }, rank: nullableString, title: { type: 'string' },
    pages: { type: 'array', items: { type: 'string' } }, active: { type: 'boolean' }, createdAt: dateTime, inactivatedAt: nullableDateTime,
  },
} as const;
export const AgreementSummary = { $id: 'AgreementSummary', ...summary } as const;
export const Agreement = { $id: 'Agreement', ...summary, properties: { ...summary.properties, content: { type: 'string' }, supersedesId: { ...nullableString, description: 'The version this one replaced.' } } } as const;
export const AgreementList = { $id: 'AgreementList', type: 'object', required: ['items'], properties: { items: { type: 'array', items: summary } } } as const;
export const AgreementPublished = {
  $id: 'AgreementPublished', type: 'object', required: ['agreement', 'superseded'], properties: { agreement: summary, superseded: { oneOf: [summary, { type: 'null' }], description: 'The version inactivated by this one.' } },
} as const;

const acceptance = {
  type: 'object',
  required: ['agreementId', 'code', 'version', 'consultantId', 'name', 'document', 'page', 'acceptedBy', 'acceptedAt'],
  properties: {
    agreementId: uuid, code: { type: 'string' }, version: { type: 'integer' }, consultantId: uuid, name: { type: 'string' }, document: { type: 'string' },
    page: { type: 'string' }, acceptedBy: { type: 'string' }, acceptedAt: dateTime,
  },
} as const;
export const AcceptancePage = { $id: 'AcceptancePage', ...page(acceptance) } as const;

export const ConsultantAgreements = {
  $id: 'ConsultantAgreements',
  type: 'object',
  required: ['pending', 'accepted'],
  properties: {
    pending: { type: 'array', items: summary, description: "The active agreements that apply to them and whose version they have not accepted: what the profile and the next login ask for." },
    accepted: { type: 'array', items: { type: 'object', required: ['agreementId', 'code', 'version', 'active', 'page', 'acceptedAt'], properties: { agreementId: uuid, code: { type: 'string' }, version: { type: 'integer' }, active: { type: 'boolean' }, page: { type: 'string' }, acceptedAt: dateTime } } },
  },
} as const;

export const AgreementAccepted = {
  $id: 'AgreementAccepted', type: 'object', required: ['agreementId', 'consultantId', 'acceptedAt', 'first'], properties: { agreementId: uuid, consultantId: uuid, acceptedAt: dateTime, first: { type: 'boolean', description: 'false: accepted before (the first acceptance is kept).' } },
} as const;

export const agreementSchemas = [AgreementSummary, NewAgreementBody, ListAgreementsQuery, AcceptancesQuery, AcceptanceBody, AcceptanceParams, Agreement, AgreementList, AgreementPublished, AcceptancePage, ConsultantAgreements, AgreementAccepted] as const;
