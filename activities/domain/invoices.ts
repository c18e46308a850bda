/**
 * Invoices. Seed 000: a monetising digital sale is invoiced on "Canal Digital", with the seller's name
 * only when the CRM has a commercial owner (crm.lookupClient decides that; the YAML passes it here).
 */
import type { Knex } from 'knex';
import { DIGITAL_CHANNEL } from '../../domain/channels';
import { invoiceStore, type InvoiceRow } from '../../lib/billing';
import type { ProcessActivity } from '../context';
import { iso, optionalString, requireAmount, requireString } from './support';

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
      const earlier = await invoiceStore.byKey(db, ctx.key);
      if (earlier) return result(earlier);
      const row = await invoiceStore.issue(db, {
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
