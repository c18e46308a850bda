/** Seed 001's catalog and estimates. Request and response schemas; api/schemas.ts registers them. */
import type { FromSchema } from 'json-schema-to-ts';
import { MAX_LINES, MAX_QUANTITY } from '../../domain/estimates';
import { dateTime, nullableString, shortText } from '../shared-schemas';

const minor = { type: 'integer', minimum: 0, description: 'Integer minor units of the currency.' } as const;

const totals = {
  type: 'object',
  additionalProperties: false,
  properties: { grossMinor: minor, discountMinor: minor, netMinor: minor, taxMinor: minor, totalMinor: minor },
} as const;

const lineInput = {
  type: 'object',
  required: ['itemCode', 'quantity'],
  additionalProperties: false,
  properties: {
    itemCode: { type: 'string', minLength: 1, maxLength: 100 },
    quantity: { type: 'integer', minimum: 1, maximum: MAX_QUANTITY },
    discountBp: { type: 'integer', minimum: 0, maximum: 10000, description: 'Discount of the line in basis points (1000 = 10 %).' },
  },
} as const;

const linesInput = { type: 'array', minItems: 1, maxItems: MAX_LINES, items: lineInput } as const;

export const CreateEstimateBody = {
  $id: 'CreateEstimateBody',
  type: 'object',
  required: ['processId', 'customer', 'currency', 'lines'],
  additionalProperties: false,
  properties: {
    processId: { type: 'string', minLength: 1, maxLength: 300, description: "The lead's process (lead-to-customer) the estimate belongs to: it hears the client's answer." },
    customer: { type: 'object', required: ['name', 'email'], additionalProperties: false, properties: { name: shortText, email: { type: 'string', format: 'email', maxLength: 254 } } },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    lines: linesInput,
    totals: { ...totals, description: 'Optional: the totals the caller computed; refused (422) unless they are what the lines give.' },
  },
} as const;

export type CreateEstimateBody = FromSchema<typeof CreateEstimateBody>;

export const ReviseEstimateBody = {
  $id: 'ReviseEstimateBody',
  type: 'object',
  required: ['lines'],
  additionalProperties: false,
  properties: { lines: linesInput, totals: CreateEstimateBody.properties.totals },
} as const;

export type ReviseEstimateBody = FromSchema<typeof ReviseEstimateBody>;

const pricedLine = {
  type: 'object',
  required: ['itemCode', 'description', 'quantity', 'unitPriceMinor', 'discountBp', 'taxRateBp', 'grossMinor', 'discountMinor', 'netMinor', 'taxMinor', 'totalMinor'],
  properties: {
    itemCode: { type: 'string' }, description: { type: 'string' }, quantity: { type: 'integer' }, unitPriceMinor: minor, discountBp: { type: 'integer' }, taxRateBp: { type: 'integer' },
    grossMinor: minor, discountMinor: minor, netMinor: minor, taxMinor: minor, totalMinor: minor,
  },
} as const;

export const Estimate = {
  $id: 'Estimate',
  type: 'object',
  required: ['id', 'estimateKey', 'version', 'status', 'customer', 'processId', 'currency', 'lines', 'totals', 'versions', 'createdBy', 'createdAt'],
  properties: {
    id: { type: 'string' },
    estimateKey: { type: 'string', description: 'The series every version of this estimate shares.' },
    version: { type: 'integer' },
    status: { type: 'string', enum: ['draft', 'sent', 'accepted', 'declined', 'superseded'] },
    customer: { type: 'object', required: ['name', 'email'], properties: { name: { type: 'string' }, email: { type: 'string' } } },
    processId: nullableString,
    currency: { type: 'string' },
    lines: { type: 'array', items: pricedLine },
    totals: { ...totals, required: ['grossMinor', 'discountMinor', 'netMinor', 'taxMinor', 'totalMinor'] },
    versions: {
      type: 'array',
      description: 'Every version of the series, oldest first.',
      items: { type: 'object', required: ['id', 'version', 'status'], properties: { id: { type: 'string' }, version: { type: 'integer' }, status: { type: 'string' } } },
    },
    createdBy: { type: 'string' },
    createdAt: dateTime,
  },
} as const;

export const Catalog = {
  $id: 'Catalog',
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'name', 'unitPriceMinor', 'taxRateBp', 'currency', 'recurring'],
        properties: { code: { type: 'string' }, name: { type: 'string' }, unitPriceMinor: minor, taxRateBp: { type: 'integer' }, currency: { type: 'string' }, recurring: { type: 'boolean', description: 'Billed every month once the customer pays the accepted estimate (seed 001 recurring billing).' } },
      },
    },
  },
} as const;

export const SendEstimateBody = {
  $id: 'SendEstimateBody',
  type: 'object',
  additionalProperties: false,
  properties: {
    email: { type: 'string', format: 'email', maxLength: 254, description: "Where the link goes (default: the estimate's customer e-mail)." },
    expiresIn: { type: 'string', minLength: 1, maxLength: 20, description: 'How long the link lasts, e.g. `30d` (the default) or `72h`.' },
  },
} as const;

export type SendEstimateBody = FromSchema<typeof SendEstimateBody>;

export const EstimateSent = {
  $id: 'EstimateSent',
  type: 'object',
  required: ['sent', 'email', 'expiresAt'],
  properties: { sent: { type: 'boolean', const: true }, email: { type: 'string' }, expiresAt: dateTime },
} as const;

export const DeclineEstimateBody = {
  $id: 'DeclineEstimateBody',
  type: 'object',
  additionalProperties: false,
  properties: { reason: { type: 'string', maxLength: 2000 } },
} as const;

export const ClientEstimate = {
  $id: 'ClientEstimate',
  type: 'object',
  required: ['id', 'version', 'status', 'customer', 'currency', 'lines', 'totals'],
  properties: {
    id: { type: 'string' }, version: { type: 'integer' }, status: Estimate.properties.status, customer: Estimate.properties.customer,
    currency: { type: 'string' }, lines: Estimate.properties.lines, totals: Estimate.properties.totals,
  },
} as const;

export const ListEstimatesQuery = {
  $id: 'ListEstimatesQuery',
  type: 'object',
  required: ['processId'],
  additionalProperties: false,
  properties: { processId: { type: 'string', minLength: 1, description: "The lead's process." } },
} as const;

export const EstimateList = {
  $id: 'EstimateList',
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: { type: 'object', required: Estimate.required, properties: Estimate.properties }, description: 'The live version of each series, newest first.' } },
} as const;

export const estimatesSchemas = [ListEstimatesQuery, EstimateList, CreateEstimateBody, ReviseEstimateBody, Estimate, Catalog, SendEstimateBody, EstimateSent, DeclineEstimateBody, ClientEstimate] as const;
