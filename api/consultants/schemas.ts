/** Seed 003's registrations (`POST /api/consultants/registrations`): the enrollment's variables, checked by its definition. */
import type { FromSchema } from 'json-schema-to-ts';
import { REGISTER_AS, REGISTRATION_CASES } from '../../domain/consultants';
import { nullableString } from '../shared-schemas';

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

export const consultantSchemas = [RegistrationBody, RegistrationAnswer] as const;
