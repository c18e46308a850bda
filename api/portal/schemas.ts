/** The client portal's own routes (seed 001): the password of new portal credentials, sign-in, invoices, the estimate and contracts. */
import type { FromSchema } from 'json-schema-to-ts';

export const PortalPasswordBody = {
  $id: 'PortalPasswordBody',
  type: 'object',
  required: ['password'],
  additionalProperties: false,
  properties: { password: { type: 'string', minLength: 10, maxLength: 500, description: 'At least 10 characters.' } },
} as const;

export type PortalPasswordBody = FromSchema<typeof PortalPasswordBody>;

export const PortalActivated = {
  $id: 'PortalActivated',
  type: 'object',
  required: ['activated', 'email'],
  additionalProperties: false,
  properties: { activated: { const: true }, email: { type: 'string', description: 'The e-mail the client signs in with.' } },
} as const;

export const PortalLoginBody = {
  $id: 'PortalLoginBody',
  type: 'object',
  required: ['email', 'password'],
  additionalProperties: false,
  properties: { email: { type: 'string', minLength: 3, maxLength: 254 }, password: { type: 'string', minLength: 1, maxLength: 500 } },
} as const;

const portalCustomer = {
  type: 'object',
  required: ['name', 'email'],
  properties: { name: { type: 'string' }, email: { type: 'string' }, companyName: { type: ['string', 'null'] } },
} as const;

export const PortalSession = {
  $id: 'PortalSession',
  type: 'object',
  required: ['token', 'customer', 'expiresAt'],
  properties: {
    token: { type: 'string', description: 'Send it as `Authorization: Bearer <token>` to the /api/portal routes (and only those).' },
    customer: portalCustomer,
    expiresAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const PortalMe = { $id: 'PortalMe', ...portalCustomer } as const;

export const PortalInvoiceList = {
  $id: 'PortalInvoiceList',
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      description: "The customer's issued invoices (never drafts), newest first.",
      items: {
        type: 'object',
        required: ['id', 'number', 'status', 'description', 'amountMinor', 'currency', 'issuedAt', 'paidAt', 'dueAt', 'paymentUrl'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          number: { type: ['integer', 'null'] },
          status: { enum: ['issued', 'sent', 'paid', 'overdue', 'void'] },
          description: { type: 'string' },
          amountMinor: { type: 'integer' },
          currency: { type: 'string' },
          issuedAt: { type: ['string', 'null'], format: 'date-time' },
          paidAt: { type: ['string', 'null'], format: 'date-time' },
          dueAt: { type: ['string', 'null'], format: 'date-time', description: "A renewal's due date." },
          paymentUrl: { type: ['string', 'null'], description: "Where to pay it at the payment gateway, while it is unpaid and has a page." },
        },
      },
    },
  },
} as const;

export const PortalDocuments = {
  $id: 'PortalDocuments',
  type: 'object',
  required: ['estimate', 'contracts'],
  properties: {
    estimate: {
      type: ['object', 'null'],
      description: 'The estimate the customer accepted, which their invoices and plan come from.',
      required: ['id', 'version', 'status', 'totalMinor', 'currency', 'createdAt'],
      properties: { id: { type: 'string', format: 'uuid' }, version: { type: 'integer' }, status: { type: 'string' }, totalMinor: { type: 'integer' }, currency: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' } },
    },
    contracts: {
      type: 'array',
      description: 'The contracts the customer signed, newest first: each PDF carries its audit page.',
      items: {
        type: 'object',
        required: ['id', 'title', 'signedAt', 'sha256'],
        properties: { id: { type: 'string', format: 'uuid' }, title: { type: 'string' }, signedAt: { type: 'string', format: 'date-time' }, sha256: { type: 'string', description: 'The hash of the document signed.' } },
      },
    },
  },
} as const;

export const portalSchemas = [PortalPasswordBody, PortalActivated, PortalLoginBody, PortalSession, PortalMe, PortalInvoiceList, PortalDocuments] as const;
