/**
 * Recurring billing on the time-skipping server (issue 9 §5): a trial paid on day 1 (seed 000) starts its
 * subscription's billing workflow; three monthly renewals follow, the second paid late (reminder, grace,
 * suspension, reactivation). Real YAML, real activities, real Postgres.
 */
import { createSubscriptionBillingActivities } from '../../activities/subscription-billing';
import { billingPeriod } from '../../domain/billing';
import { eventSignal } from '../../workflows/messages';
import { billingStateQuery, renewalPaymentSignal, subscriptionBillingWorkflowId } from '../../workflows/subscription-billing';
import { eventually } from '../support/eventually';
import { DAY, deployDefinitions, exampleVariables, startProcess } from '../support/processes';
import { useTimeSkippingStack } from '../support/time-skipping';

const stack = useTimeSkippingStack('billing');
const db = () => stack.database.db;

/** Skips the test server's clock to `at` (ms since the epoch). */
async function skipTo(at: number): Promise<void> {
  const now = await stack.env.currentTimeMs();
  if (at > now) await stack.env.sleep(at - now);
}

interface Renewal { id: string; due_at: Date; paid_at: Date | null }
const renewal = (subscriptionId: string, periodIndex: number): Promise<Renewal> =>
  eventually<Renewal | undefined>(() => db()('invoices').where({ subscription_id: subscriptionId, period_index: periodIndex }).first(), Boolean, `the renewal of period ${periodIndex}`) as Promise<Renewal>;

const pay = (paymentKey: string) => ({ paymentKey, amount: 29990, currency: 'CLP', method: 'webpay', transactionId: paymentKey });

it('renews the base plan every calendar month, with dunning on a late payment, and never issues a period twice', async () => {
  const trial = await (await deployDefinitions(db()))('trial-lifecycle');
  const email = 'renueva@libreria.cl';
  const sale = await startProcess(stack.env.client, stack.taskQueue, trial, email, exampleVariables(trial, { email, rut: '11.111.111-1', addons: [] }));
  await stack.env.sleep(DAY);
  await sale.signal(eventSignal, { name: 'payment', eventId: 'webhook-tx-1', payload: { amount: 29990, currency: 'CLP', method: 'webpay', transactionId: 'tx-1' }, actor: 'integration' });
  expect((await sale.result()).outcome).toBe('converted');

  const account = await db()('accounts').where({ email }).first();
  const subscription = await db()('subscriptions').where({ account_id: account.id }).first();
  expect(subscription.billing_anchor_at).not.toBeNull();
  const billing = stack.env.client.workflow.getHandle(subscriptionBillingWorkflowId(subscription.id));

  // Period 1, paid on time: one invoice, one e-mail, no dunning.
  const first = await (async () => {
    await skipTo(new Date(subscription.billing_anchor_at).getTime() + 31 * DAY + 60_000);
    return renewal(subscription.id, 1);
  })();
  expect(first).toMatchObject({ kind: 'renewal', amount: '29990.00', currency: 'CLP', channel: 'Canal Digital', paid_at: null });
  await billing.signal(renewalPaymentSignal, pay('renewal-1'));
  await billing.signal(renewalPaymentSignal, pay('renewal-1')); // the webhook delivered twice
  await eventually(() => db()('invoices').where({ id: first.id }).first(), (r) => r.paid_at !== null, 'period 1 paid');

  // Period 2, paid late: reminder on the due day, grace, suspension; the payment reactivates.
  await skipTo(new Date(subscription.billing_anchor_at).getTime() + 62 * DAY + 60_000);
  const second = await renewal(subscription.id, 2);
  await skipTo(new Date(second.due_at).getTime() + 5 * DAY + 60_000);
  await eventually(() => billing.query(billingStateQuery), (s) => s.phase === 'suspended', 'suspension after the grace period');
  expect(await db()('subscriptions').where({ id: subscription.id }).first()).toMatchObject({ status: 'suspended' });
  expect(await db()('accounts').where({ id: account.id }).first()).toMatchObject({ status: 'suspended', payment_state: 'overdue', operation_state: 'restricted' });
  await billing.signal(renewalPaymentSignal, { ...pay('renewal-2'), amount: 100 }); // a wrong amount pays nothing
  await billing.signal(renewalPaymentSignal, pay('renewal-2b'));
  await eventually(() => db()('subscriptions').where({ id: subscription.id }).first(), (s) => s.status === 'active', 'reactivation');
  expect(await db()('accounts').where({ id: account.id }).first()).toMatchObject({ status: 'active', payment_state: 'paid', operation_state: 'operating' });

  // Period 3, paid on time.
  await skipTo(new Date(subscription.billing_anchor_at).getTime() + 93 * DAY + 60_000);
  const third = await renewal(subscription.id, 3);
  await billing.signal(renewalPaymentSignal, pay('renewal-3'));
  await eventually(() => db()('invoices').where({ id: third.id }).first(), (r) => r.paid_at !== null, 'period 3 paid');

  // The issue activity retried (a worker lost its answer): the same row, no second invoice or folio.
  const issue = createSubscriptionBillingActivities({ db: db() })['subscriptionBilling.issue'];
  expect((await issue({ subscriptionId: subscription.id, periodIndex: 2 })).invoiceId).toBe(second.id);

  const invoices = await db()('invoices').where({ account_id: account.id }).orderBy('issued_at').select('kind', 'period_index', 'number', 'paid_at', 'period_start');
  expect(invoices.map((i: { kind: string; period_index: number | null }) => [i.kind, i.period_index])).toEqual([
    ['first-period', null], ['renewal', 1], ['renewal', 2], ['renewal', 3],
  ]);
  expect(new Set(invoices.map((i: { number: number }) => i.number)).size).toBe(4);
  // Calendar months from the anchor (the first payment), in Chile's time zone (domain/billing decides the dates).
  for (const i of invoices.slice(1)) {
    expect(new Date(i.period_start)).toEqual(billingPeriod(new Date(subscription.billing_anchor_at), i.period_index, 'America/Santiago').start);
  }

  const payments = await db()('payments').where({ account_id: account.id }).orderBy('paid_at').pluck('external_reference');
  expect(payments).toEqual(['tx-1', 'renewal-1', 'renewal-2b', 'renewal-3']);

  const outbox = await db()('outbox').where({ recipient: email }).orderBy('created_at').pluck('template');
  expect(outbox.filter((t: string) => t !== 'invoice-issued')).toEqual([
    'renewal-issued',
    'renewal-issued', 'renewal-reminder', 'subscription-suspended', 'subscription-reactivated',
    'renewal-issued',
  ]);
  // The settle activity writes paid_at before the workflow hears its answer: wait for the workflow to move on.
  expect(await eventually(() => billing.query(billingStateQuery), (s) => s.periodIndex === 4, 'period 4')).toMatchObject({ periodIndex: 4, phase: 'waiting', invoiceId: null });
});
