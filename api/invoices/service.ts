/**
 * Invoice payments: `POST /api/invoices/:id/payments` pays one renewal invoice, whoever its customer is
 * (a digital account, or a customer without one such as seed 004's). Validate, find the renewal, one
 * signal to its billing workflow (api/payments/renewals), record the delivery under its key.
 */
import { renewalStore } from '../../lib/subscription-billing';
import { toIso } from '../../lib/time';
import type { AppDeps } from '../deps';
import { conflict, notFound } from '../errors';
import { createDeliveryStore, requirePaymentKey } from '../payments/deliveries';
import { sendRenewalPayment } from '../payments/renewals';
import { invoiceStore } from '../../lib/billing';
import { presentInvoice } from './present';
import type { InvoicePaymentBody, ListInvoicesQuery } from './schemas';

export interface InvoicePaymentAnswer { accepted: boolean; duplicate: boolean; invoiceId: string; processId: string; eventId: string; amountDue: number }

export function createInvoiceService(deps: AppDeps) {
  const deliveries = createDeliveryStore(deps.db);
  return {
    async list(q: ListInvoicesQuery) {
      const [limit, offset] = [q.limit ?? 50, q.offset ?? 0];
      const { rows, total } = await invoiceStore.list(deps.db, { customerId: q.customerId, status: q.status, limit, offset });
      return { items: rows.map(presentInvoice), total, limit, offset };
    },

    async get(id: string) {
      const invoice = await invoiceStore.byId(deps.db, id);
      if (!invoice) throw notFound(`invoice ${id} not found`, { id });
      return presentInvoice(invoice);
    },

    async pay(invoiceId: string, keyHeader: string | undefined, body: InvoicePaymentBody): Promise<InvoicePaymentAnswer> {
      const key = requirePaymentKey(keyHeader);
      const seen = await deliveries.replay<InvoicePaymentAnswer>(key, body);
      if (seen) return seen;
      const renewal = await renewalStore.byId(deps.db, invoiceId);
      if (!renewal) throw notFound(`invoice ${invoiceId} is not a renewal of a subscription (only renewals are paid here)`, { id: invoiceId });
      if (renewal.paid_at) {
        throw conflict('already_paid', `Invoice ${renewal.number} was paid at ${toIso(renewal.paid_at)}`, { invoiceId, number: renewal.number, paidAt: toIso(renewal.paid_at) });
      }
      const processId = await sendRenewalPayment(deps.temporal, key, renewal, body);
      const answer: InvoicePaymentAnswer = { accepted: true, duplicate: false, invoiceId, processId, eventId: key, amountDue: Number(renewal.amount) };
      const recorded = await deliveries.record({ key, source: 'invoice', accountId: renewal.account_id, instanceId: processId, payload: body, response: answer });
      return recorded ? answer : { ...answer, duplicate: true };
    },
  };
}
