/** Seed 003's registrations (`POST /api/consultants/registrations`): the enrollment's variables, checked by its definition. */
import type { FromSchema } from 'json-schema-to-ts';
import { PERSON_KINDS, REGISTER_AS, REGISTRATION_CASES } from '../../domain/consultants';
import { dateTime, limit, nullableDateTime, nullableString, offset, page, reason, uuid } from '../shared-schemas';

export const RegistrationBody = {
  $id: 'RegistrationBody',
  type: 'object',
  required: ['person', 'channel', 'formType'],
  additionalProperties: false,
  description: "The variables of definitions/consultant-enrollment.yaml; its schema checks them whole (422 naming each field).",
  properties: {
    person: {
      type: 'object',
      required: ['country', 'documentType', 'documentNumber'],
      properties: { country: { type: 'string', minLength: 2, maxLength: 2 }, documentType: { type: 'string', minLength: 1, maxLength: 10 }, documentNumber: { type: 'string', minLength: 1, maxLength: 30 } },
    },
    channel: { type: 'string' },
    formType: { type: 'string' },
    registerAs: { enum: REGISTER_AS, default: 'consultant' },
    sponsor: { type: 'object' },
    documents: { type: 'array' },
    requiresApproval: { type: 'boolean' },
    startKit: { type: 'object' },
    kitPaymentDays: { type: 'integer' },
    acceptedAgreements: { type: 'array', maxItems: 20, items: { type: 'string', format: 'uuid' }, description: 'The agreements accepted on the form: each must be in force and for the person (409 `agreement_inactive`, 422 `agreement_not_applicable`).' },
  },
} as const;
export type RegistrationBody = FromSchema<typeof RegistrationBody>;

export const RegistrationAnswer = {
  $id: 'RegistrationAnswer',
  type: 'object',
  required: ['processId', 'status', 'stage', 'case', 'consultantId'],
  properties: {
    processId: { type: 'string', description: 'The enrollment (consultant-enrollment) that works the registration.' },
    status: { type: 'string', description: 'running while it waits (approval, the start kit), completed when it ended at once.' },
    stage: nullableString,
    case: { enum: [...REGISTRATION_CASES, null], description: 'What the registration was, once the person is registered (null before: a sponsor or zone problem ended it).' },
    consultantId: nullableString,
  },
} as const;

export const ListConsultantsQuery = {
  $id: 'ListConsultantsQuery',
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { enum: ['pre-registered', 'active', 'inactive', 'rejected'] }, kind: { enum: PERSON_KINDS }, zone: { type: 'string', minLength: 1, maxLength: 100 }, sponsorId: uuid,
    registeredFrom: { ...dateTime, description: 'Registered at or after' }, registeredTo: { ...dateTime, description: 'Registered before' }, limit, offset,
  },
} as const;
export type ListConsultantsQuery = FromSchema<typeof ListConsultantsQuery>;

const consultant = {
  type: 'object',
  required: ['id', 'kind', 'status', 'name', 'email', 'country', 'documentType', 'documentNumber', 'zone', 'sponsorId', 'rank', 'channel', 'creditLimit', 'registeredAt', 'activatedAt'],
  properties: {
    id: uuid, kind: { enum: PERSON_KINDS }, status: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' }, country: { type: 'string' }, documentType: { type: 'string' },
    documentNumber: { type: 'string' }, zone: { type: 'string' }, sponsorId: nullableString, rank: nullableString, channel: { type: 'string' }, creditLimit: { type: 'number' },
    registeredAt: dateTime, activatedAt: nullableDateTime,
  },
} as const;
export const ConsultantPage = { $id: 'ConsultantPage', ...page(consultant) } as const;
export const ConsultantDetail = {
  $id: 'ConsultantDetail',
  ...consultant,
  properties: {
    ...consultant.properties,
    stateHistory: { type: 'array', items: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' }, reason: nullableString, at: dateTime } }, description: 'Every change of state, oldest first.' },
    registrations: { type: 'array', items: { type: 'object', properties: { case: { type: 'string' }, registerAs: { type: 'string' }, channel: { type: 'string' }, formType: { type: 'string' }, at: dateTime } } },
    network: { type: 'object', additionalProperties: { type: 'integer' }, description: 'The consultants they sponsor, by status.' },
    documents: { type: 'array' },
  },
} as const;

export const StatusChangeBody = {
  $id: 'StatusChangeBody', type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { ...reason, description: 'Kept in their state history and e-mailed to them.' } },
} as const;
export const StatusChangeAnswer = {
  $id: 'StatusChangeAnswer', type: 'object', required: ['processId', 'status'], properties: { processId: { type: 'string' }, status: { type: 'string', description: 'completed once the change is made.' } },
} as const;

export const KitPaymentBody = {
  $id: 'KitPaymentBody',
  type: 'object',
  required: ['amount', 'currency', 'method', 'transactionId'],
  additionalProperties: false,
  properties: {
    amount: { type: 'number', exclusiveMinimum: 0, maximum: 1e12 }, currency: { type: 'string', pattern: '^[A-Z]{3}$' }, method: { type: 'string', minLength: 1, maxLength: 40 },
    transactionId: { type: 'string', minLength: 1, maxLength: 200, description: "The payment's reference: the same one sent again is the same payment." },
  },
} as const;
export const CreditRequestBody = {
  $id: 'CreditRequestBody',
  type: 'object',
  required: ['requestedLimit'],
  additionalProperties: false,
  properties: { requestedLimit: { type: 'number', exclusiveMinimum: 0, maximum: 1e12 }, references: { type: 'array', maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 300 } } },
} as const;
export const KitMessageReceived = {
  $id: 'KitMessageReceived', type: 'object', required: ['received', 'processId', 'stage'], properties: { received: { const: true }, processId: { type: 'string' }, stage: nullableString },
} as const;

export const consultantSchemas = [KitPaymentBody, CreditRequestBody, KitMessageReceived, RegistrationBody, RegistrationAnswer, ListConsultantsQuery, ConsultantPage, ConsultantDetail, StatusChangeBody, StatusChangeAnswer] as const;
