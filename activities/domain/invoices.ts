/**
 * Invoices. Seed 000: a monetising digital sale is invoiced on "Canal Digital", with the seller's name
 * only when the CRM has a commercial owner (crm.lookupClient decides that; the YAML passes it here).
 * Seed 001: a customer's draft invoice is issued (its number taken then, with no gaps), sent, or voided.
 */
import type { Knex } from 'knex';
import { ApplicationFailure } from '@temporalio/activity';
import { linesMismatch } from '../../domain/billing';
import { DIGITAL_CHANNEL } from '../../domain/channels';
import { invoiceStore, type InvoiceRow } from '../../lib/billing';
import type { ProcessActivity } from '../context';
import { invalid, iso, notFound, optionalString, requireAmount, requireString, requireUuid } from './support';

function result(row: InvoiceRow) {
  return {
    invoiceId: row.id,
    number: row.number,
    status: row.status,
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

    async 'invoices.issueDraft'(input) {
      const id = requireUuid(input, 'invoiceId');
      // Refused before a number is taken: a number, once issued, is never given back.
      const draft = await invoiceStore.byId(db, id);
      const wrong = draft && linesMismatch(Number(draft.amount), await invoiceStore.lines(db, id));
      if (wrong) throw ApplicationFailure.nonRetryable(`invoice ${id} cannot be issued: ${wrong}`, 'TotalsMismatch', { invoiceId: id });
      const row = await invoiceStore.issueDraft(db, id);
      if (!row) throw notFound('invoice', id);
      if (row.status === 'void') throw invalid('invoiceId', `invoice ${id} is void: it cannot be issued`);
      return result(row);
    },

    async 'invoices.markSent'(input) {
      return result(await advance(input, ['issued'], 'sent', ['sent', 'paid', 'overdue']));
    },

    async 'invoices.void'(input) {
      return result(await advance(input, ['draft', 'issued', 'sent', 'overdue'], 'void', ['void']));
    },
  };

  /** Moves the invoice from one of `from` to `to`; already there (or past it: `done`) is a retry, anything else InvalidInput. */
  async function advance(input: Record<string, unknown>, from: readonly string[], to: string, done: readonly string[]) {
    const id = requireUuid(input, 'invoiceId');
    const row = await invoiceStore.advance(db, id, from, to);
    if (!row) throw notFound('invoice', id);
    if (!done.includes(row.status)) throw invalid('invoiceId', `invoice ${id} is ${row.status}: it cannot become ${to}`);
    return row;
  }
}
