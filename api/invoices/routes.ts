/** Invoices as documents: `GET /api/invoices/:id/pdf`, for whoever reads accounts (who see invoices today) and operators. */
import type { Response } from 'express';
import { renderInvoicePdf } from '../../lib/invoice-pdf';
import { RECORD_READERS } from '../../workflows/policy';
import type { AppDeps } from '../deps';
import { notFound } from '../errors';
import { defineRoute, type RouteDef } from '../routing';
import { ErrorResponse, UuidParams } from '../shared-schemas';
import { createInvoiceDocumentStore } from './store';

export function invoiceRoutes(deps: AppDeps): RouteDef[] {
  const store = createInvoiceDocumentStore(deps.db);
  return [
    defineRoute({
      method: 'get',
      path: '/api/invoices/:id/pdf',
      summary: 'An invoice as a PDF (application/pdf): channel, the seller when the CRM names one (seed 000), customer, period, lines and total',
      tag: 'accounts',
      // An account's invoices are read with the account (GET /api/accounts/:id): the same readers.
      auth: { roles: RECORD_READERS.account, outsiders: 'notFound' },
      params: UuidParams,
      responses: { 200: { description: 'The PDF document' }, 404: { description: 'Unknown invoice', schema: ErrorResponse } },
      handler: async ({ params, req }) => {
        const invoice = await store.document(params.id);
        if (!invoice) throw notFound(`invoice ${params.id} not found`, { id: params.id });
        const pdf = await renderInvoicePdf(invoice);
        const res = req.res as Response;
        res.status(200).type('application/pdf').set('content-disposition', `inline; filename="factura-${invoice.number}.pdf"`).send(Buffer.from(pdf));
        return undefined;
      },
    }),
  ];
}
