/** SQL for an invoice as a document: the row and its lines (lib/billing writes them). */
import type { Knex } from 'knex';
import { invoiceStore } from './billing';
import type { InvoiceDocument } from './invoice-pdf';

export function createInvoiceDocumentStore(db: Knex) {
  return {
    async document(id: string): Promise<InvoiceDocument | null> {
      const row = await db('invoices').where({ id }).first();
      if (!row) return null;
      return {
        number: row.number, kind: row.kind, channel: row.channel, sellerName: row.seller_name, customerName: row.customer_name,
        customerTaxId: row.customer_tax_id, description: row.description, amount: Number(row.amount), currency: row.currency,
        issuedAt: row.issued_at, period: row.period_start ? { start: row.period_start, end: row.period_end } : null,
        lines: await invoiceStore.lines(db, id),
      };
    },
  };
}
