/**
 * The activities of a subscription's billing workflow (workflows/subscription-billing.ts). Internal:
 * definitions do not call them by name. Every write is idempotent by a key with a unique constraint:
 * the renewal by (subscription, period), the payment by its key, the status changes by theirs.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import { billingPeriod, paymentMismatch, savedPaymentMethodOf, type SavedPaymentMethod } from '../domain/billing';
import { minorUnits } from '../domain/money';
import { paymentStore } from '../lib/billing';
import { createCustomerStore } from '../lib/customers';
import { billedCustomer, renewalStore, subscriptionById } from '../lib/subscription-billing';
import { LOCAL_PUBLIC_URL } from '../lib/config';
import type { PaymentGateway } from '../lib/payments/gateway';
import { openInvoicePayment } from '../lib/payments/invoice-payment';
import { createRenewalChargeStore } from '../lib/payments/renewal-charges';
import { toIso } from '../lib/time';
import { applyTransition, setAccountStates } from './domain/status';

export interface RenewalIssued {
  invoiceId: string;
  number: number;
  periodIndex: number;
  periodStart: string;
  periodEnd: string;
  dueAt: string;
  amount: number;
  currency: string;
  paid: boolean;
  email: string;
  accountName: string;
  /** Seed 001's customer pays it on this page at the payment gateway; null for everyone else. */
  paymentUrl: string | null;
}

export interface RenewalPayment {
  /** The payment webhook's Idempotency-Key: one payment per key. */
  paymentKey: string;
  amount: number;
  currency: string;
  method: string;
  transactionId?: string;
  paidAt?: string;
  /** The card this payment saved at the gateway: the renewals after it are charged to it. */
  savedMethod?: SavedPaymentMethod | null;
}

/**
 * An automatic charge of a renewal to the customer's saved card: `accepted` (the gateway took it: its
 * webhook pays the invoice), `declined` (with the reason), `no_saved_method` (no card kept, or a gateway
 * here that keeps none) or `paid_already`.
 */
export interface ChargeResult {
  outcome: 'accepted' | 'declined' | 'no_saved_method' | 'paid_already';
  failure: string | null;
}

export interface SettleResult {
  paid: boolean;
  /** Set when the payment did not pay the invoice: `currency`, `amount`, or `used` (it paid another one). */
  mismatch: 'currency' | 'amount' | 'used' | null;
  reactivated: boolean;
}

export interface SubscriptionBillingActivities {
  'subscriptionBilling.nextPeriod'(i: { subscriptionId: string; periodIndex: number }): Promise<{ billable: boolean; periodStart: string | null }>;
  'subscriptionBilling.issue'(i: { subscriptionId: string; periodIndex: number }): Promise<RenewalIssued>;
  'subscriptionBilling.settle'(i: { invoiceId: string; payment: RenewalPayment }): Promise<SettleResult>;
  'subscriptionBilling.suspend'(i: { invoiceId: string }): Promise<{ suspended: boolean }>;
  'subscriptionBilling.charge'(i: { invoiceId: string; attempt: number }): Promise<ChargeResult>;
}

const notFound = (what: string, id: string) => ApplicationFailure.nonRetryable(`${what} ${id} not found`, 'NotFound', { id });

export interface SubscriptionBillingDeps {
  db: Knex;
  /** Where a seed-001 customer's renewals are paid (none: they carry no payment page). */
  gateway?: PaymentGateway | null;
  publicUrl?: string;
}

export function createSubscriptionBillingActivities({ db, gateway = null, publicUrl = LOCAL_PUBLIC_URL }: SubscriptionBillingDeps): SubscriptionBillingActivities {
  function present(row: NonNullable<Awaited<ReturnType<typeof renewalStore.byId>>>, customer: { email: string; name: string }): RenewalIssued {
    return {
      invoiceId: row.id, number: row.number, periodIndex: row.period_index, periodStart: toIso(row.period_start)!, periodEnd: toIso(row.period_end)!,
      dueAt: toIso(row.due_at)!, amount: Number(row.amount), currency: row.currency, paid: row.paid_at !== null, email: customer.email, accountName: customer.name,
      paymentUrl: row.payment_url,
    };
  }

  return {
    /** When period `periodIndex` starts; not billable once the subscription is cancelled (the workflow ends). */
    async 'subscriptionBilling.nextPeriod'({ subscriptionId, periodIndex }) {
      const sub = await subscriptionById(db, subscriptionId);
      if (!sub) throw notFound('subscription', subscriptionId);
      if (sub.status === 'cancelled' || !sub.billing_anchor_at) return { billable: false, periodStart: null };
      return { billable: true, periodStart: billingPeriod(sub.billing_anchor_at, periodIndex, sub.billing_zone).start.toISOString() };
    },

    async 'subscriptionBilling.issue'({ subscriptionId, periodIndex }) {
      const sub = await subscriptionById(db, subscriptionId);
      if (!sub) throw notFound('subscription', subscriptionId);
      const customer = await billedCustomer(db, sub);
      const renewal = await renewalStore.issue(db, sub, periodIndex, customer);
      if (!sub.customer_id || renewal.paid_at) return present(renewal, customer);
      const opened = await openInvoicePayment(db, gateway, renewal, customer.email, publicUrl);
      return present({ ...renewal, payment_url: opened.payment_url }, customer);
    },

    /** Records the payment once and closes the invoice with it; a suspended subscription is reactivated. */
    async 'subscriptionBilling.settle'({ invoiceId, payment }) {
      return db.transaction(async (trx) => {
        const invoice = await trx('invoices').where({ id: invoiceId }).forUpdate().first();
        if (!invoice?.subscription_id) throw notFound('renewal invoice', invoiceId);
        const key = `renewal-payment:${payment.paymentKey}`;
        // Paid already (this payment retried, or another one first): nothing more is written.
        if (invoice.paid_at) return { paid: true, mismatch: null, reactivated: false };
        // A payment key already spent on another invoice (a webhook redelivered late) pays nothing else.
        if (await trx('payments').where({ idempotency_key: key }).first('id')) return { paid: false, mismatch: 'used', reactivated: false };
        const mismatch = paymentMismatch(payment, { due: Number(invoice.amount), currency: invoice.currency });
        if (mismatch) return { paid: false, mismatch, reactivated: false };
        const paidAt = payment.paidAt ? new Date(payment.paidAt) : new Date();
        // A customer without an account pays as itself (seed 001's customers) or as its tax id (seed 004).
        const row = await paymentStore.record(trx, {
          account_id: invoice.account_id, customer_id: invoice.customer_id, customer_tax_id: invoice.account_id || invoice.customer_id ? null : invoice.customer_tax_id, amount: payment.amount, currency: payment.currency.toUpperCase(), method: payment.method,
          external_reference: payment.transactionId ?? payment.paymentKey, paid_at: paidAt, instance_id: invoice.instance_id, idempotency_key: key,
        });
        const saved = savedPaymentMethodOf(payment.savedMethod);
        if (saved && invoice.customer_id) await createCustomerStore(trx).savePaymentMethod(invoice.customer_id, saved);
        // A seed-001 customer's invoice follows its lifecycle to paid; the others keep status issued.
        await trx('invoices').where({ id: invoiceId }).update({ paid_at: paidAt, payment_id: row.id, ...(invoice.customer_id ? { status: 'paid' } : {}) });
        const sub = await trx('subscriptions').where({ id: invoice.subscription_id }).forUpdate().first('status');
        const reason = `renewal ${invoice.number} paid (${payment.paymentKey})`;
        const reactivated = sub.status === 'suspended';
        if (reactivated) await trx('subscriptions').where({ id: invoice.subscription_id }).update({ status: 'active' });
        // Only a digital account has states of its own to follow the subscription's.
        if (!invoice.account_id) return { paid: true, mismatch: null, reactivated };
        if (reactivated) {
          await applyTransition(trx, { entity: 'account', id: invoice.account_id, to: 'active', from: ['suspended'], reason }, `${key}:reactivate`, invoice.instance_id);
          await setAccountStates(trx, invoice.account_id, { payment: 'paid', operation: 'operating' }, { key: `${key}:states`, instanceId: invoice.instance_id, reason });
        } else {
          await setAccountStates(trx, invoice.account_id, { payment: 'paid' }, { key: `${key}:states`, instanceId: invoice.instance_id, reason });
        }
        return { paid: true, mismatch: null, reactivated };
      });
    },

    /**
     * Charges the renewal to the customer's saved card, once per attempt: the attempt's row answers a
     * retry, and the gateway's idempotency key (invoice and attempt) makes a lost answer one charge.
     */
    async 'subscriptionBilling.charge'({ invoiceId, attempt }) {
      const invoice = await renewalStore.byId(db, invoiceId);
      if (!invoice) throw notFound('renewal invoice', invoiceId);
      if (invoice.paid_at) return { outcome: 'paid_already', failure: null };
      const charges = createRenewalChargeStore(db);
      const earlier = await charges.find(invoiceId, attempt);
      if (earlier) return { outcome: earlier.outcome, failure: earlier.failure };
      const card = invoice.customer_id ? await createCustomerStore(db).savedPaymentMethod(invoice.customer_id) : null;
      if (!card || !gateway?.chargeSavedMethod || card.gateway !== gateway.name) return { outcome: 'no_saved_method', failure: null };
      const answer = await gateway.chargeSavedMethod({
        invoiceId, invoiceNumber: invoice.number, amountMinor: minorUnits(invoice.amount), currency: invoice.currency,
        description: `Factura ${invoice.number}`, method: card, idempotencyKey: `cauce-renewal-${invoiceId}-${attempt}`,
      });
      const row = await charges.record(invoiceId, attempt, gateway.name, answer);
      return { outcome: row.outcome, failure: row.failure };
    },

    /** After the grace period: suspends the subscription and its account, unless the invoice was paid meanwhile. */
    async 'subscriptionBilling.suspend'({ invoiceId }) {
      return db.transaction(async (trx) => {
        const invoice = await trx('invoices').where({ id: invoiceId }).forUpdate().first();
        if (!invoice?.subscription_id) throw notFound('renewal invoice', invoiceId);
        if (invoice.paid_at) return { suspended: false };
        const sub = await trx('subscriptions').where({ id: invoice.subscription_id }).forUpdate().first('status');
        if (sub.status === 'suspended') return { suspended: true };
        const key = `renewal-suspend:${invoiceId}`;
        const reason = `renewal ${invoice.number} unpaid after the grace period`;
        await trx('subscriptions').where({ id: invoice.subscription_id }).update({ status: 'suspended' });
        if (!invoice.account_id) return { suspended: true };
        await applyTransition(trx, { entity: 'account', id: invoice.account_id, to: 'suspended', from: ['active'], reason }, key, invoice.instance_id);
        await setAccountStates(trx, invoice.account_id, { payment: 'overdue', operation: 'restricted' }, { key: `${key}:states`, instanceId: invoice.instance_id, reason });
        return { suspended: true };
      });
    },
  };
}
