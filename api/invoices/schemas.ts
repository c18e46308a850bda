/** Paying one invoice: a renewal of a subscription, by whoever posts payments. */
import type { FromSchema } from 'json-schema-to-ts';
import { paymentProperties } from '../accounts/schemas';

export const InvoicePaymentBody = {
  $id: 'InvoicePaymentBody',
  type: 'object',
  required: ['amount', 'currency', 'method', 'transactionId'],
  additionalProperties: false,
  properties: paymentProperties,
} as const;

export type InvoicePaymentBody = FromSchema<typeof InvoicePaymentBody>;

export const InvoicePaymentAccepted = {
  $id: 'InvoicePaymentAccepted',
  type: 'object',
  required: ['accepted', 'duplicate', 'invoiceId', 'processId', 'eventId', 'amountDue'],
  properties: {
    accepted: { type: 'boolean' },
    duplicate: { type: 'boolean', description: 'true: this Idempotency-Key was delivered before; nothing new happened.' },
    invoiceId: { type: 'string' },
    processId: { type: 'string', description: "The subscription's billing workflow (subscription-billing/<id>)." },
    eventId: { type: 'string' },
    amountDue: { type: 'number' },
  },
} as const;

export const invoicesSchemas = [InvoicePaymentBody, InvoicePaymentAccepted] as const;
