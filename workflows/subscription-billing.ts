/**
 * A subscription's recurring billing (issue 9 §5): one workflow per subscription, id
 * `subscription-billing/<subscriptionId>`, started once when the account becomes paid. Each period it
 * sleeps until the period starts (the dates come from an activity, recorded in history: the calendar
 * arithmetic is domain/billing's, never the workflow's), issues the renewal invoice (idempotent by
 * subscription and period), e-mails it, and runs dunning until it is paid: a reminder on the due day,
 * a grace period, then suspension until a payment arrives (reactivation). A suspended subscription is not
 * billed again until it is paid; periods that started meanwhile are billed at once on reactivation, so
 * none is skipped. Payments arrive as the `renewalPayment` signal (the payment webhook sends it). The
 * run continues as new every PERIODS_PER_RUN periods so its history stays small.
 *
 * A renewal with a page at the gateway (seed 001's customers) is also charged to the card the customer
 * saved, on DUNNING's dates: when issued, on the due day, and once in the grace period. A charge the
 * gateway accepts is paid by its webhook, like any payment; a declined first one is e-mailed.
 */
import { condition, continueAsNew, defineQuery, defineSignal, patched, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { StepContext } from '../activities/context';
import type { RenewalPayment, SubscriptionBillingActivities } from '../activities/subscription-billing';
import { DUNNING, type BillingTemplate } from '../domain/billing/dunning';

export const SUBSCRIPTION_BILLING_WORKFLOW = 'subscriptionBilling';
export const subscriptionBillingWorkflowId = (subscriptionId: string): string => `subscription-billing/${subscriptionId}`;

export const renewalPaymentSignal = defineSignal<[RenewalPayment]>('renewalPayment');
export interface BillingState { periodIndex: number; phase: 'waiting' | 'dunning' | 'grace' | 'suspended'; invoiceId: string | null }
export const billingStateQuery = defineQuery<BillingState>('billingState');

export interface SubscriptionBillingInput {
  subscriptionId: string;
  /** The next period to bill; 1 is the first renewal (period 0 is the checkout's first invoice). */
  fromPeriod?: number;
  /** Payments received but not applied yet, carried over a continue-as-new. */
  pending?: RenewalPayment[];
  /** Keys of recent payments already taken, carried over a continue-as-new. */
  taken?: string[];
}

/** How many payment keys the workflow remembers; older redeliveries are refused by the settle activity (the payment's unique key). */
const MAX_TAKEN_KEYS = 50;

/** Twelve periods (a year) per run: a few hundred events of history. */
export const PERIODS_PER_RUN = 12;

/** Runs started before renewals were charged to a saved card replay without those charges. */
export const CHARGES_SAVED_CARD = 'renewal-charges-saved-card';

const billing = proxyActivities<SubscriptionBillingActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '1 minute', nonRetryableErrorTypes: ['NotFound'] },
});

type Notify = (input: Record<string, unknown>, ctx: StepContext) => Promise<unknown>;
const { 'notifications.send': send } = proxyActivities<{ 'notifications.send': Notify }>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1s', maximumInterval: '1 minute', nonRetryableErrorTypes: ['InvalidInput'] },
});

export async function subscriptionBilling(input: SubscriptionBillingInput): Promise<void> {
  const pending: RenewalPayment[] = [...(input.pending ?? [])];
  const state: BillingState = { periodIndex: input.fromPeriod ?? 1, phase: 'waiting', invoiceId: null };
  // Keys of the payments taken (the recent ones, carried over continue-as-new): a redelivery is dropped here.
  const taken: string[] = [...(input.taken ?? [])];
  setHandler(renewalPaymentSignal, (payment) => {
    if (!taken.includes(payment.paymentKey) && !pending.some((p) => p.paymentKey === payment.paymentKey)) pending.push(payment);
  });
  setHandler(billingStateQuery, () => state);
  const { workflowId } = workflowInfo();
  const ctx = (stepId: string): StepContext => ({
    instanceId: workflowId, definitionId: SUBSCRIPTION_BILLING_WORKFLOW, version: 1, businessKey: input.subscriptionId, stepId, key: `${workflowId}:${stepId}`,
  });

  /** Applies the payments received to the invoice until one pays it or `deadline` (ms, or null: forever) passes. */
  async function paidBy(invoiceId: string, deadline: number | null): Promise<boolean> {
    for (;;) {
      const remaining = deadline === null ? undefined : Math.max(0, deadline - Date.now());
      const arrived = remaining === undefined ? (await condition(() => pending.length > 0), true) : await condition(() => pending.length > 0, remaining);
      if (!arrived) return false;
      const payment = pending.shift()!;
      taken.push(payment.paymentKey);
      if (taken.length > MAX_TAKEN_KEYS) taken.shift();
      // A payment that does not pay it (wrong amount or currency) is recorded nowhere: the webhook refuses those first.
      if ((await billing['subscriptionBilling.settle']({ invoiceId, payment })).paid) return true;
    }
  }

  for (let run = 0; run < PERIODS_PER_RUN; run++) {
    const n = state.periodIndex;
    const next = await billing['subscriptionBilling.nextPeriod']({ subscriptionId: input.subscriptionId, periodIndex: n });
    if (!next.billable) return;
    state.phase = 'waiting';
    await sleep(Math.max(0, Date.parse(next.periodStart!) - Date.now()));

    const invoice = await billing['subscriptionBilling.issue']({ subscriptionId: input.subscriptionId, periodIndex: n });
    state.invoiceId = invoice.invoiceId;
    // A renewal with a page at the payment gateway (seed 001's customers) links it. Only the mail's
    // template and data differ, not the commands, so histories recorded before still replay.
    const paymentUrl = invoice.paymentUrl ?? null;
    const data = { accountName: invoice.accountName, invoiceNumber: invoice.number, amount: invoice.amount, currency: invoice.currency, dueAt: invoice.dueAt, periodStart: invoice.periodStart, ...(paymentUrl ? { paymentUrl } : {}) };
    const mail = (template: BillingTemplate, step: string, extra: Record<string, unknown> = {}) =>
      send({ channel: 'email', to: invoice.email, template, data: { ...data, ...extra } }, ctx(`period-${n}:${step}`));
    await mail(paymentUrl ? 'renewal-issued-pay-online' : 'renewal-issued', 'issued');

    /** Charges the saved card; true once the payment the gateway accepted has paid the invoice. */
    const chargedAndPaid = async (attempt: number): Promise<boolean> => {
      const charge = await billing['subscriptionBilling.charge']({ invoiceId: invoice.invoiceId, attempt });
      if (charge.outcome === 'declined' && attempt === 1) await mail('renewal-charge-failed', `charge-${attempt}-failed`, { failure: charge.failure });
      return charge.outcome === 'accepted' && paidBy(invoice.invoiceId, Date.now() + DUNNING.chargeSettleMs);
    };

    if (!invoice.paid) {
      // Without a page there is no saved card; without the marker, the run predates the charges.
      const charging = paymentUrl !== null && patched(CHARGES_SAVED_CARD);
      state.phase = 'dunning';
      const due = Date.parse(invoice.dueAt);
      const paidWhenDue = (charging && (await chargedAndPaid(1))) || (await paidBy(invoice.invoiceId, due)) || (charging && (await chargedAndPaid(2)));
      if (!paidWhenDue) {
        await mail('renewal-reminder', 'reminder');
        state.phase = 'grace';
        const lastCharge = due + DUNNING.lastChargeAfterDueMs;
        const paidInGrace = (charging && ((await paidBy(invoice.invoiceId, lastCharge)) || (await chargedAndPaid(3)))) || (await paidBy(invoice.invoiceId, due + DUNNING.graceMs));
        if (!paidInGrace) {
          const { suspended } = await billing['subscriptionBilling.suspend']({ invoiceId: invoice.invoiceId });
          if (suspended) {
            state.phase = 'suspended';
            await mail('subscription-suspended', 'suspended');
            await paidBy(invoice.invoiceId, null);
            await mail('subscription-reactivated', 'reactivated');
          }
        }
      }
    }
    // The next period is waiting from here on, while its dates are looked up: a query never sees the
    // next period's number with the last one's phase. (Queries are not in the history: replay-safe.)
    state.periodIndex = n + 1;
    state.phase = 'waiting';
    state.invoiceId = null;
  }
  await continueAsNew<typeof subscriptionBilling>({ subscriptionId: input.subscriptionId, fromPeriod: state.periodIndex, pending, taken });
}
