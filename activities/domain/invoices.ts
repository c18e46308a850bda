/**
 * Invoices. Seed 000: a monetising digital sale is invoiced on "Canal Digital", with the seller's name
 * only when the CRM has a commercial owner (crm.lookupClient decides that; the YAML passes it here).
 */
import type { Knex } from 'knex';
import type { ProcessActivity } from '../context';
import { findByKey, insertOnce, iso, optionalString, requireAmount, requireString } from './support';

/** The billing channel of every digital sale (seed 000). */
export const DIGITAL_CHANNEL = 'Canal Digital';

interface InvoiceRow {
  id: string; number: number; channel: string; seller_name: string | null; amount: string; currency: string; issued_at: Date;
}

function result(row: InvoiceRow) {
  return {
    invoiceId: row.id,
    number: row.number,
    channel: row.channel,
    sellerName: row.seller_name,
    amount: Number(row.amount),
    currency: row.currency,
    issuedAt: iso(row.issued_at),
  };
}

export function createInvoiceActivities({ db }: { db: Knex }): Record<string, ProcessActivity> {
  return {
    async 'invoices.issue'(input, ctx) {
      // Look first: a retry must not take (and waste) another folio from the sequence.
      const earlier = await findByKey<InvoiceRow>(db, 'invoices', ctx.key);
      if (earlier) return result(earlier);
      const row = await insertOnce<InvoiceRow>(db, 'invoices', {
        number: db.raw(`nextval('invoice_number_seq')`),
        account_id: optionalString(input, 'accountId'),
        work_order_id: optionalString(input, 'workOrderId'),
        customer_tax_id: requireString(input, 'customerTaxId'),
        customer_name: requireString(input, 'customerName'),
        description: requireString(input, 'description'),
        amount: requireAmount(input, 'amount', { allowZero: true }),
        currency: (optionalString(input, 'currency') ?? 'CLP').toUpperCase(),
        channel: optionalString(input, 'channel') ?? DIGITAL_CHANNEL,
        seller_name: optionalString(input, 'sellerName'),
        instance_id: ctx.instanceId,
        idempotency_key: ctx.key,
      });
      return result(row);
    },
  };
}
