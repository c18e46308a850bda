/**
 * Invoices: `GET /api/invoices/:id/pdf` (a document, for whoever reads accounts, who see invoices today, and
 * operators) and `POST /api/invoices/:id/payments` (a renewal paid, by whoever posts payments).
 */
import type { Response } from 'express';
import { renderInvoicePdf } from '../../lib/invoice-pdf';
import { FEATURE_ROLES, RECORD_READERS } from '../../workflows/policy';
import type { AppDeps } from '../deps';
import { notFound } from '../errors';
import { defineRoute, type RouteDef } from '../routing';
import { sendPdf } from '../file-reply';
import { errorReply, UuidParams } from '../shared-schemas';
import { Invoice, InvoiceList, InvoicePaymentAccepted, InvoicePaymentBody, ListInvoicesQuery } from './schemas';
import { createInvoiceService } from './service';
import { createInvoiceDocumentStore } from '../../lib/invoice-documents';

export function invoiceRoutes(deps: AppDeps): RouteDef[] {
  const store = createInvoiceDocumentStore(deps.db);
  const invoices = createInvoiceService(deps);
  return [
    defineRoute({
      method: 'get',
      path: '/api/invoices',
      summary: "Invoices, newest first (drafts last): a customer's (seed 001: `customerId`), by status",
      tag: 'accounts',
      auth: { roles: RECORD_READERS.invoice },
      query: ListInvoicesQuery,
      responses: { 200: { description: 'A page of invoices', schema: InvoiceList } },
      handler: ({ query }) => invoices.list(query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/invoices/:id',
      summary: 'One invoice: its number, status in its lifecycle, amount in minor units, dates and payment page',
      tag: 'accounts',
      auth: { roles: RECORD_READERS.invoice, outsiders: 'notFound' },
      params: UuidParams,
      responses: { 200: { description: 'The invoice', schema: Invoice }, 404: errorReply('Unknown invoice') },
      handler: ({ params }) => invoices.get(params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/api/invoices/:id/pdf',
      summary: 'An invoice as a PDF (application/pdf): channel, the seller when the CRM names one (seed 000), customer, period, lines and total',
      tag: 'accounts',
      // An account's invoices are read with the account (GET /api/accounts/:id), and the cashier prints them.
      auth: { roles: RECORD_READERS.invoice, outsiders: 'notFound' },
      params: UuidParams,
      responses: { 200: { description: 'The PDF document' }, 404: errorReply('Unknown invoice') },
      handler: async ({ params, req }) => {
        const invoice = await store.document(params.id);
        if (!invoice) throw notFound(`invoice ${params.id} not found`, { id: params.id });
        return sendPdf(req.res as Response, { filename: `factura-${invoice.number}.pdf`, pdf: await renderInvoicePdf(invoice) });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/invoices/:id/payments',
      summary: "Pay a renewal invoice (a subscription's monthly period, e.g. a Mi Negocio Digital customer's); it goes to the subscription's billing workflow. Repeating an Idempotency-Key changes nothing",
      tag: 'accounts',
      auth: { roles: FEATURE_ROLES.pay },
      params: UuidParams,
      body: InvoicePaymentBody,
      headers: [{ name: 'Idempotency-Key', description: 'Unique per payment delivery; a repeat answers 200 with duplicate: true', required: true }],
      responses: {
        200: { description: 'Duplicate delivery: nothing new happened', schema: InvoicePaymentAccepted },
        202: { description: "Delivered to the subscription's billing workflow", schema: InvoicePaymentAccepted },
        400: errorReply('missing_idempotency_key'),
        404: errorReply('Not a renewal invoice'),
        409: errorReply('already_paid'),
        422: errorReply('amount_mismatch, currency_mismatch, idempotency_key_reused'),
      },
      handler: ({ params, body, req }) => invoices.pay(params.id, req.get('idempotency-key'), body),
      status: (payment) => (payment.duplicate ? 200 : 202),
    }),
  ];
}
