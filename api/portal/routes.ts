import type { Response } from 'express';
import { clientAddress } from '../auth/login-limits';
import { sendPdf } from '../file-reply';
import { defineRoute, type RouteDef } from '../routing';
import { errorReply, UuidParams } from '../shared-schemas';
import { TaskLinkTokenParams } from '../task-links/schemas';
import { PortalActivated, PortalDocuments, PortalInvoiceList, PortalLoginBody, PortalMe, PortalPasswordBody, PortalSession } from './schemas';
import type { PortalService } from './service';

export function portalRoutes(portal: PortalService): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/public/portal-setup/:token',
      summary: "A new customer sets their portal password through the welcome e-mail's link (public; the token is the credential, once)",
      tag: 'portal',
      auth: 'public',
      params: TaskLinkTokenParams,
      body: PortalPasswordBody,
      responses: {
        200: { description: 'The portal credentials are active', schema: PortalActivated },
        400: errorReply('A password shorter than 10 characters'),
        404: errorReply('No link, or one already used or expired'),
        429: errorReply('Too many attempts from this address'),
      },
      handler: ({ params, body, req }) => portal.setPassword(params.token, body.password, clientAddress(req)),
    }),
    defineRoute({
      method: 'post',
      path: '/api/public/portal/login',
      summary: "A customer signs in to the client portal with the e-mail and password set through the welcome link: a portal session (12 h), which opens the /api/portal routes only",
      tag: 'portal',
      auth: 'public',
      body: PortalLoginBody,
      responses: {
        200: { description: 'Signed in', schema: PortalSession },
        401: errorReply('Wrong e-mail or password, or a password never set (one answer for all)'),
        429: errorReply('Too many failed sign-ins for this e-mail from this address, or from this address; Retry-After says when'),
      },
      handler: ({ body, req }) => portal.login(body.email, body.password, clientAddress(req)),
    }),
    defineRoute({
      method: 'get',
      path: '/api/portal/me',
      summary: 'The customer signed in to the portal',
      tag: 'portal',
      auth: 'portal',
      responses: { 200: { description: 'The customer', schema: PortalMe } },
      handler: async ({ user }) => portal.me(user),
    }),
    defineRoute({
      method: 'post',
      path: '/api/portal/logout',
      summary: 'Ends the portal session',
      tag: 'portal',
      auth: 'portal',
      responses: { 204: { description: 'Signed out' } },
      handler: async ({ req }) => portal.logout(req.token!),
    }),
    defineRoute({
      method: 'get',
      path: '/api/portal/invoices',
      summary: "The signed-in customer's invoices: the first one and the monthly renewals, with their status and, while unpaid, where to pay them",
      tag: 'portal',
      auth: 'portal',
      responses: { 200: { description: 'Newest first', schema: PortalInvoiceList } },
      handler: async ({ user }) => portal.invoices(user),
    }),
    defineRoute({
      method: 'get',
      path: '/api/portal/invoices/:id/pdf',
      summary: "One of the signed-in customer's invoices as a PDF",
      tag: 'portal',
      auth: 'portal',
      params: UuidParams,
      responses: { 200: { description: 'The PDF document' }, 404: errorReply("Not an invoice of this customer's") },
      handler: async ({ params, user, req }) => sendPdf(req.res as Response, await portal.invoicePdf(user, params.id)),
    }),
    defineRoute({
      method: 'get',
      path: '/api/portal/documents',
      summary: "The signed-in customer's estimate (the one they accepted) and the contracts they signed",
      tag: 'portal',
      auth: 'portal',
      responses: { 200: { description: 'Their documents', schema: PortalDocuments } },
      handler: async ({ user }) => portal.documents(user),
    }),
    defineRoute({
      method: 'get',
      path: '/api/portal/estimates/:id/pdf',
      summary: "The signed-in customer's accepted estimate as a PDF",
      tag: 'portal',
      auth: 'portal',
      params: UuidParams,
      responses: { 200: { description: 'The PDF document' }, 404: errorReply("Not this customer's estimate") },
      handler: async ({ params, user, req }) => sendPdf(req.res as Response, await portal.estimatePdf(user, params.id)),
    }),
    defineRoute({
      method: 'get',
      path: '/api/portal/contracts/:id/pdf',
      summary: 'A contract the signed-in customer signed, as a PDF with its audit page',
      tag: 'portal',
      auth: 'portal',
      params: UuidParams,
      responses: { 200: { description: 'The PDF document' }, 404: errorReply("Not a contract this customer signed") },
      handler: async ({ params, user, req }) => sendPdf(req.res as Response, await portal.contractPdf(user, params.id)),
    }),
  ];
}
