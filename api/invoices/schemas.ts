/** Paying one invoice: a renewal of a subscription, by whoever posts payments. */
import type { FromSchema } from 'json-schema-to-ts';
import { paymentProperties } from '../accounts/schemas';
import { limit, nullableDateTime, offset, page, uuid } from '../shared-schemas';

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

export const ListInvoicesQuery = {
  $id: 'ListInvoicesQuery',
  type: 'object',
  additionalProperties: false,
  properties: { customerId: uuid, status: { enum: ['draft', 'issued', 'sent', 'paid', 'overdue', 'void'] }, limit, offset },
} as const;
export type ListInvoicesQuery = FromSchema<typeof ListInvoicesQuery>;

const invoice = {
  type: 'object',
  required: ['id', 'number', 'status', 'description', 'amountMinor', 'currency', 'issuedAt', 'paidAt', 'dueAt', 'paymentUrl'],
  properties: {
    id: uuid,
    number: { type: ['integer', 'null'], description: 'Null while a draft: numbers are taken when issued, with no gaps.' },
    status: { enum: ['draft', 'issued', 'sent', 'paid', 'overdue', 'void'] },
    kind: { type: ['string', 'null'] },
    description: { type: 'string' },
    customerId: { type: ['string', 'null'] },
    amountMinor: { type: 'integer' },
    currency: { type: 'string' },
    issuedAt: nullableDateTime,
    paidAt: nullableDateTime,
    dueAt: nullableDateTime,
    paymentUrl: { type: ['string', 'null'], description: "Its page at the payment gateway, while unpaid." },
  },
} as const;

export const Invoice = { $id: 'Invoice', ...invoice } as const;
export const InvoiceList = { $id: 'InvoiceList', ...page(invoice) } as const;

export const invoicesSchemas = [InvoicePaymentBody, InvoicePaymentAccepted, ListInvoicesQuery, Invoice, InvoiceList] as const;
