/**
 * The store checkout of a digital account (seed 000): one payment becomes, in one transaction, the
 * order, the payment, the invoice on "Canal Digital" with its lines, the paid subscription items and
 * the account's new states. The first invoice of an account makes it a paying customer (funnel stage
 * paid-account); any later one bills upgrades and counts as MRR collected, never as a new customer.
 * A transaction id already checked out for the account is a duplicate webhook: nothing is written.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import { amountMatches, sameCurrency } from '../../domain/billing';
import { DIGITAL_CHANNEL } from '../../domain/channels';
import { billable, invoiceStore, paymentStore } from '../../lib/billing';
import { opportunityStore } from '../../lib/opportunities';
import type { ProcessActivity } from '../context';
import { applyTransition, setAccountStates } from './status';
import { invalid, iso, notFound, optionalString, optionalTimestamp, requireAmount, requireString, requireUuid } from './support';


interface OrderRow { id: string; kind: string; amount: string; currency: string; transaction_id: string; payment_id: string; paid_at: Date }

async function result(trx: Knex | Knex.Transaction, order: OrderRow, duplicate: boolean) {
  const invoice = await invoiceStore.byOrder(trx, order.id);
  const lines = await invoiceStore.lines(trx, invoice.id);
  return {
    orderId: order.id,
    paymentId: order.payment_id,
    transactionId: order.transaction_id,
    kind: order.kind,
    newCustomer: order.kind === 'first-period',
    paid: Number(order.amount),
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    amount: Number(invoice.amount),
    currency: invoice.currency,
    channel: DIGITAL_CHANNEL,
    sellerName: invoice.seller_name,
    sellerSource: invoice.seller_source,
    lines: lines.map((l) => ({ description: l.description, module: l.moduleCode, amount: l.amount })),
    paidAt: iso(order.paid_at),
    duplicate,
  };
}

/** Raised when a checkout finds nothing to bill (e.g. a payment after the window closed). */
function nothingDue(accountId: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`account ${accountId} has nothing due`, 'NothingDue', { accountId });
}

export function createCheckoutActivities({ db }: { db: Knex }): Record<string, ProcessActivity> {
  return {
    async 'billing.checkout'(input, ctx) {
      const accountId = requireUuid(input, 'accountId');
      const transactionId = requireString(input, 'transactionId');
      const paid = requireAmount(input, 'amount');
      const method = requireString(input, 'method');
      const paidAt = optionalTimestamp(input, 'paidAt') ?? new Date();
      const sellerName = optionalString(input, 'sellerName');
      const sellerSource = optionalString(input, 'sellerSource');

      return db.transaction(async (trx) => {
        const account = await trx('accounts').where({ id: accountId }).forUpdate().first();
        if (!account) throw notFound('account', accountId);
        const currency = (optionalString(input, 'currency') ?? account.currency).toUpperCase();
        if (!sameCurrency(currency, account.currency)) throw invalid('currency', `the account is billed in ${account.currency}, not ${currency}`);

        const mine = (await trx('orders').where({ idempotency_key: ctx.key }).first()) as OrderRow | undefined;
        if (mine) return result(trx, mine, false);
        const seen = (await trx('orders').where({ account_id: accountId, transaction_id: transactionId }).first()) as OrderRow | undefined;
        if (seen) return result(trx, seen, true);

        const { kind, description, items, lines, due } = await billable(trx, account);
        if (lines.length === 0) throw nothingDue(accountId);
        // Whoever delivered the payment (webhook, operator), it converts the sale only for the amount due.
        if (!amountMatches(paid, due)) {
          throw ApplicationFailure.nonRetryable(`paid ${paid} ${currency} but ${due} ${account.currency} is due`, 'AmountMismatch', { paid, due });
        }
        const first = kind === 'first-period';

        const payment = await paymentStore.record(trx, {
          account_id: accountId, amount: paid, currency, method, external_reference: transactionId, paid_at: paidAt, instance_id: ctx.instanceId, idempotency_key: ctx.key,
        });
        const [order] = (await trx('orders')
          .insert({ account_id: accountId, kind, amount: paid, currency, transaction_id: transactionId, payment_id: payment.id, paid_at: paidAt, instance_id: ctx.instanceId, idempotency_key: ctx.key })
          .returning('*')) as OrderRow[];
        await paymentStore.setOrder(trx, payment.id, order.id);
        await invoiceStore.issue(trx, {
          account_id: accountId,
          order_id: order.id,
          kind,
          customer_tax_id: account.rut,
          customer_name: account.name,
          description,
          amount: due,
          currency,
          channel: DIGITAL_CHANNEL,
          seller_name: sellerName,
          seller_source: sellerName ? sellerSource : null,
          instance_id: ctx.instanceId,
          idempotency_key: ctx.key,
        }, lines);
        if (items.length) {
          await trx('subscription_items').whereIn('id', items.map((i) => i.id)).update({ status: 'paid', paid_at: paidAt, order_id: order.id });
        }

        const reason = `paid ${paid} ${currency} (${transactionId})`;
        if (account.status !== 'active') {
          await applyTransition(trx, { entity: 'account', id: accountId, to: 'active', from: ['trial', 'suspended'], reason }, `${ctx.key}:status`, ctx.instanceId);
        }
        await setAccountStates(trx, accountId, { conversion: 'converted', payment: 'paid', operation: 'operating' }, { key: ctx.key, instanceId: ctx.instanceId, reason });
        await trx('accounts').where({ id: accountId }).update({ renewal_due_at: null, ...(first ? { first_paid_at: paidAt } : {}) });
        await trx('subscriptions').where({ account_id: accountId }).update({ status: 'active' });
        if (first && account.opportunity_id) await opportunityStore.close(trx, account.opportunity_id, { result: 'won', accountId });
        return result(trx, order, false);
      });
    },
  };
}
