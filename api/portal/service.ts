/**
 * The client portal after conversion (seed 001): the client sets the password of their portal
 * credentials through the single-use link of the welcome e-mail, then signs in with it (a portal
 * session of its own, limited like staff sign-ins) and sees their invoices, each with its PDF and,
 * while unpaid, its page at the payment gateway, and the estimate they accepted and the contracts they
 * signed, each as a PDF.
 */
import type { Request } from 'express';
import { renderInvoicePdf } from '../../lib/invoice-pdf';
import { invoiceStore } from '../../lib/billing';
import { createContractSignatureStore } from '../../lib/contract-signatures';
import { createCustomerStore } from '../../lib/customers';
import { estimatePdfFile } from '../../lib/estimate-pdf';
import { createEstimateStore, estimateTotals } from '../../lib/estimates';
import { toIso } from '../../lib/time';
import { createInvoiceDocumentStore } from '../../lib/invoice-documents';
import { hashPassword } from '../../lib/passwords';
import { createPortalSessionStore } from '../../lib/portal-sessions';
import { presentInvoice } from '../invoices/present';
import { bearerToken, SESSION_TTL_MS } from '../auth/service';
import { createLoginLimits } from '../auth/login-limits';
import type { AppDeps } from '../deps';
import { notFound, unauthorized } from '../errors';
import { createLinkLimits } from '../task-links/limits';
import type { SessionUser } from '../types';

export function createPortalService({ db, config }: Pick<AppDeps, 'db' | 'config'>) {
  const customers = createCustomerStore(db);
  const sessions = createPortalSessionStore(db);
  const documents = createInvoiceDocumentStore(db);
  const estimates = createEstimateStore(db);
  const contracts = createContractSignatureStore(db);
  const linkLimits = createLinkLimits(db, config.auth.loginLimits.perAddress);
  const loginLimits = createLoginLimits(db, config.auth.loginLimits);
  // The staff and portal counters never mix: a customer's e-mail could be someone's username.
  const limitKey = (email: string) => `portal:${email.trim().toLowerCase()}`;

  const ownInvoice = async (user: SessionUser, id: string) => {
    const invoice = await invoiceStore.byId(db, id);
    if (!invoice || invoice.customer_id !== user.customerId || invoice.status === 'draft') throw notFound(`invoice ${id} not found`, { id });
    return invoice;
  };

  return {
    async setPassword(token: string, password: string, address: string) {
      await linkLimits.attempt(address);
      const activated = await customers.setPassword(token, await hashPassword(password));
      if (!activated) throw notFound('This link does not set a password any more: it was used, or it expired. Ask your salesperson for a new one.');
      await linkLimits.succeeded(address);
      return { activated: true as const, email: activated.email };
    },

    async login(email: string, password: string, address: string) {
      await loginLimits.attempt(limitKey(email), address);
      const customer = await sessions.authenticate(email, password);
      // Same answer for an unknown e-mail, one whose password was never set, and a wrong password.
      if (!customer) throw unauthorized('Invalid e-mail or password');
      await loginLimits.succeeded(limitKey(email), address);
      const token = await sessions.create(customer.customerId, SESSION_TTL_MS);
      return { token, customer: { name: customer.name, email: customer.email, companyName: customer.companyName }, expiresAt: new Date(Date.now() + SESSION_TTL_MS).toISOString() };
    },

    /** The request's portal session; 401 for none, and for a staff token, which opens no portal route. */
    async authenticateRequest(req: Request): Promise<SessionUser> {
      const token = bearerToken(req);
      if (!token) throw unauthorized('Sign in to the client portal first (POST /api/public/portal/login)');
      const customer = await sessions.customerFor(token);
      if (!customer) throw unauthorized('Invalid or expired portal session; sign in to the client portal again');
      req.user = { id: customer.customerId, username: customer.email, roles: [], displayName: customer.name, customerId: customer.customerId };
      req.token = token;
      return req.user;
    },

    async logout(token: string): Promise<void> {
      await sessions.delete(token);
    },

    me: (user: SessionUser) => ({ name: user.displayName ?? user.username, email: user.username }),

    async invoices(user: SessionUser) {
      return { items: (await invoiceStore.forCustomer(db, user.customerId!)).map(presentInvoice) };
    },

    async documents(user: SessionUser) {
      const customer = (await customers.byId(user.customerId!))!;
      const estimate = await estimates.get(customer.estimate_id);
      const signed = await contracts.signedBy(customer.id);
      return {
        estimate: estimate ? { id: estimate.id, version: estimate.version, status: estimate.status, totalMinor: estimateTotals(estimate).totalMinor, currency: estimate.currency, createdAt: toIso(estimate.created_at)! } : null,
        contracts: signed.map((c) => ({ id: c.id, title: c.title, signedAt: toIso(c.signed_at)!, sha256: c.sha256 })),
      };
    },

    /** The customer's own accepted estimate only: any other id is 404. */
    async estimatePdf(user: SessionUser, id: string) {
      const customer = await customers.byId(user.customerId!);
      const estimate = customer?.estimate_id === id ? await estimates.get(id) : undefined;
      if (!estimate) throw notFound(`estimate ${id} not found`, { id });
      return estimatePdfFile(estimate);
    },

    /** A contract the customer signed, with its audit page; any other is 404. */
    async contractPdf(user: SessionUser, id: string) {
      const contract = await contracts.get(id);
      const pdf = contract && contract.customer_id === user.customerId && contract.status === 'signed' ? await contracts.pdf(id) : undefined;
      if (!pdf) throw notFound(`contract ${id} not found`, { id });
      return { filename: 'contrato-firmado.pdf', pdf: pdf.bytes };
    },

    async invoicePdf(user: SessionUser, id: string) {
      const invoice = await ownInvoice(user, id);
      const document = (await documents.document(invoice.id))!;
      return { filename: `factura-${invoice.number}.pdf`, pdf: await renderInvoicePdf(document) };
    },
  };
}

export type PortalService = ReturnType<typeof createPortalService>;
