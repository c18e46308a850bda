/**
 * The renewal charge store (table renewal_charges, migration 036): each automatic charge of a renewal's
 * saved card, once per invoice and attempt, with what the gateway answered.
 */
import type { Knex } from 'knex';
import type { ChargeAnswer } from './gateway';

export interface RenewalChargeRow {
  invoice_id: string;
  attempt: number;
  gateway: string;
  payment_ref: string | null;
  outcome: ChargeAnswer['outcome'];
  failure: string | null;
  charged_at: Date;
}

export function createRenewalChargeStore(db: Knex) {
  return {
    async find(invoiceId: string, attempt: number): Promise<RenewalChargeRow | undefined> {
      return db('renewal_charges').where({ invoice_id: invoiceId, attempt }).first();
    },
    /** The attempt as recorded first: a retried activity that charged again (the same idempotency key) keeps the first answer. */
    async record(invoiceId: string, attempt: number, gateway: string, answer: ChargeAnswer): Promise<RenewalChargeRow> {
      await db('renewal_charges')
        .insert({ invoice_id: invoiceId, attempt, gateway, payment_ref: answer.paymentRef, outcome: answer.outcome, failure: answer.failure })
        .onConflict(['invoice_id', 'attempt']).ignore();
      return (await this.find(invoiceId, attempt))!;
    },
    async forInvoice(invoiceId: string): Promise<RenewalChargeRow[]> {
      return db('renewal_charges').where({ invoice_id: invoiceId }).orderBy('attempt');
    },
  };
}
