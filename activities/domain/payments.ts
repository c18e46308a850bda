/** Payments: the store / gateway transaction of an account (seed 000) or a consultant's start kit (seed 003). */
import type { Knex } from 'knex';
import { paymentStore } from '../../lib/billing';
import type { ProcessActivity } from '../context';
import { invalid, iso, notFound, optionalString, optionalTimestamp, requireAmount, requireString } from './support';

interface PaymentRow { id: string; amount: string; currency: string; method: string; external_reference: string | null; paid_at: Date }

export function createPaymentActivities({ db }: { db: Knex }): Record<string, ProcessActivity> {
  return {
    async 'payments.record'(input, ctx) {
      const accountId = optionalString(input, 'accountId');
      const consultantId = optionalString(input, 'consultantId');
      if ((accountId === null) === (consultantId === null)) throw invalid('accountId', 'exactly one of accountId or consultantId is required');
      const [table, id] = accountId ? ['accounts', accountId] : ['consultants', consultantId as string];
      if (!(await db(table).where({ id }).first('id'))) throw notFound(table.slice(0, -1), id);

      const row = await paymentStore.record<PaymentRow>(db, {
        account_id: accountId,
        consultant_id: consultantId,
        amount: requireAmount(input, 'amount'),
        currency: (optionalString(input, 'currency') ?? 'CLP').toUpperCase(),
        method: requireString(input, 'method'),
        external_reference: optionalString(input, 'reference'),
        paid_at: optionalTimestamp(input, 'paidAt') ?? db.fn.now(),
        instance_id: ctx.instanceId,
        idempotency_key: ctx.key,
      });
      return { paymentId: row.id, amount: Number(row.amount), currency: row.currency, method: row.method, reference: row.external_reference, paidAt: iso(row.paid_at) };
    },
  };
}
