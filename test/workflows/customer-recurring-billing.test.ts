/**
 * Seed 001's recurring invoicing, on the time-skipping server with the real definition, activities and
 * Stripe adapter (stripe-mock): once the lead's first invoice is paid, the accepted estimate's recurring
 * items are billed every month. Each renewal is issued and e-mailed with its Stripe page, charged to the
 * card the first payment saved, and Stripe's signed webhook pays it (through the API's webhook service);
 * a renewal whose charges fail goes through dunning to suspension, and its payment reactivates the customer.
 *
 * stripe-mock answers every off-session charge with its fixture, a PaymentIntent that still requires a
 * payment method: so every automatic charge here is a declined one (the accepted answer's reading is
 * test/unit/payments/stripe-charge.test.ts's).
 */
import { createMessageRouter } from '../../api/messages/router';
import { createProcessService } from '../../api/processes/service';
import { createWebhookService } from '../../api/webhooks/service';
import { DUNNING } from '../../domain/billing';
import { loadConfig } from '../../lib/config';
import { createCustomerStore } from '../../lib/customers';
import { createRenewalChargeStore } from '../../lib/payments/renewal-charges';
import { stripeGateway } from '../../lib/payments/stripe';
import type { DefinitionVersion } from '../../workflows/model';
import { eventually } from '../support/eventually';
import { leadWithIssuedInvoice, payLead } from '../support/lead-process';
import { DAY, deployDefinitions, waitForState } from '../support/processes';
import { paymentIntentEvent, signed, withStripe } from '../support/stripe';
import { useTimeSkippingStack } from '../support/time-skipping';
import { recordHistory } from '../support/histories';
import { subscriptionBillingWorkflowId } from '../../workflows/subscription-billing';

const config = withStripe(loadConfig());
const stack = useTimeSkippingStack('customer-recurring', { gateway: stripeGateway(config.payments.stripe) });
let definition: DefinitionVersion;

beforeAll(async () => {
  definition = await (await deployDefinitions(stack.database.db))('lead-to-customer');
});

it("a paid customer's plan is invoiced every month with its Stripe page and charged to the saved card; declined charges are retried through dunning to suspension, and the payment reactivates it", async () => {
  const { db } = stack.database;
  const deps = { db, temporal: stack.env.client, config };
  const webhooks = createWebhookService(deps, createMessageRouter(deps, createProcessService(deps)));
  const stripePays = async (invoiceId: string, amountMinor: number, paymentId: string, savesCard?: { customer: string; paymentMethod: string }) => {
    const { body, signature } = signed(paymentIntentEvent('payment_intent.succeeded', { id: paymentId, invoiceId, amount: amountMinor, currency: 'cop', savesCard }));
    return webhooks.receive('stripe', Buffer.from(body), { 'stripe-signature': signature });
  };
  type Renewal = { id: string; number: number; payment_url: string };
  const renewal = async (subscriptionId: string, period: number): Promise<Renewal> =>
    (await eventually(() => db('invoices').where({ subscription_id: subscriptionId, period_index: period }).first() as Promise<Renewal | undefined>, Boolean, `renewal ${period}`))!;
  const mails = (email: string) => db('outbox').where({ recipient: email }).whereLike('template', '%renewal%').orWhere({ recipient: email }).whereLike('template', 'subscription-%').orderBy('created_at').pluck('template');

  const contact = { name: 'Distribuidora Andina', email: 'cartera@andina.co' };
  const lead = await leadWithIssuedInvoice(stack.env.client, stack.taskQueue, db, definition, 'andina', contact, [
    { itemCode: 'kontaly-pro', quantity: 1 },
    { itemCode: 'implementacion', quantity: 1 },
  ]);
  // The first invoice is paid on its Checkout page, which saves the card for the renewals
  // (test/integration/gateway-payments.test.ts reads the card from the webhook).
  await payLead(lead, 'pi_first', new Date(await stack.env.currentTimeMs()).toISOString(), { gateway: 'stripe', customerRef: 'cus_andina', methodRef: 'pm_visa_4242' });
  // Polled, not awaited: awaiting a result lets the time-skipping server skip ahead, here past the
  // first renewal the lead has just set going.
  const done = await waitForState(lead.handle, (s) => s.status === 'completed');
  expect(done.outcome).toBe('paid');
  const { subscription } = done.variables as { subscription: { subscriptionId: string; started: boolean } };
  expect(subscription.started).toBe(true);
  const customerId = (await db('invoices').where({ id: lead.invoiceId }).first()).customer_id;
  const customers = createCustomerStore(db);
  const charges = createRenewalChargeStore(db);
  expect(await customers.savedPaymentMethod(customerId)).toEqual({ gateway: 'stripe', customerRef: 'cus_andina', methodRef: 'pm_visa_4242' });
  // Only the plan recurs (Kontaly Pro, 49,900 + 19 % IVA), not the implementation.
  expect(await db('subscriptions').where({ id: subscription.subscriptionId }).first()).toMatchObject({
    customer_id: customerId, base_price: '59381.00', currency: 'COP', product: 'Kontaly Pro (mensual)', customer_tax_id: '222222222222', status: 'active',
  });

  // A month on: the renewal is issued to the customer with its own Stripe page, and e-mailed with it.
  await stack.env.sleep(32 * DAY);
  const first = await renewal(subscription.subscriptionId, 1);
  expect(first).toMatchObject({ customer_id: customerId, amount: '59381.00', gateway: 'stripe', payment_url: expect.stringMatching(/^https:\/\/checkout\.stripe\.com\//), paid_at: null });
  const issuedMail = await eventually(() => db('outbox').where({ recipient: contact.email, template: 'renewal-issued-pay-online' }).first() as Promise<{ payload: object } | undefined>, Boolean, 'the renewal e-mail');
  expect(issuedMail!.payload).toMatchObject({ invoiceNumber: first.number, paymentUrl: first.payment_url });

  // It is charged to the saved card at once; declined, the customer is told why, with the page.
  const firstCharge = await eventually(() => charges.forInvoice(first.id), (c) => c.length === 1, 'the first charge');
  expect(firstCharge[0]).toMatchObject({ attempt: 1, gateway: 'stripe', outcome: 'declined', payment_ref: expect.stringMatching(/^pi_/), failure: 'the card was not charged (requires payment method)' });
  const failedMail = await eventually(() => db('outbox').where({ recipient: contact.email, template: 'renewal-charge-failed' }).first() as Promise<{ payload: object } | undefined>, Boolean, 'the declined charge e-mail');
  expect(failedMail!.payload).toMatchObject({ invoiceNumber: first.number, paymentUrl: first.payment_url, failure: 'the card was not charged (requires payment method)' });
  // The customer pays on the page with another card, which replaces the saved one; nothing is charged again.
  expect(await stripePays(first.id, 5_938_100, 'pi_month_1', { customer: 'cus_andina', paymentMethod: 'pm_mastercard_5454' })).toMatchObject({ duplicate: false, outcome: 'delivered' });
  const paid = await eventually(() => db('invoices').where({ id: first.id }).first(), (i) => i.paid_at !== null, 'the renewal paid');
  expect(paid.status).toBe('paid');
  expect(await db('payments').where({ id: paid.payment_id }).first()).toMatchObject({ customer_id: customerId, method: 'stripe', external_reference: 'pi_month_1', amount: '59381.00' });
  expect(await customers.savedPaymentMethod(customerId)).toEqual({ gateway: 'stripe', customerRef: 'cus_andina', methodRef: 'pm_mastercard_5454' });

  // The next month's renewal is charged when issued, on its due day (with the reminder) and once in the
  // grace period; all declined, the subscription is suspended after the grace period.
  await stack.env.sleep(31 * DAY);
  const second = await renewal(subscription.subscriptionId, 2);
  await stack.env.sleep(DUNNING.dueAfterMs + DUNNING.graceMs + DAY);
  await eventually(() => db('subscriptions').where({ id: subscription.subscriptionId }).first(), (s) => s.status === 'suspended', 'the subscription suspended');
  expect((await charges.forInvoice(second.id)).map((c) => [c.attempt, c.outcome])).toEqual([[1, 'declined'], [2, 'declined'], [3, 'declined']]);
  expect((await charges.forInvoice(first.id)).map((c) => c.attempt)).toEqual([1]);
  // A failure Stripe reports later is kept and changes nothing: dunning runs on its dates.
  const declined = signed(paymentIntentEvent('payment_intent.payment_failed', { id: 'pi_month_2_declined', invoiceId: second.id, amount: 5_938_100, currency: 'cop', failure: 'Your card was declined.' }));
  expect(await webhooks.receive('stripe', Buffer.from(declined.body), { 'stripe-signature': declined.signature })).toMatchObject({ duplicate: false, outcome: 'ignored' });
  expect(await stripePays(second.id, 5_938_100, 'pi_month_2')).toMatchObject({ outcome: 'delivered' });
  await eventually(() => db('subscriptions').where({ id: subscription.subscriptionId }).first(), (s) => s.status === 'active', 'the subscription reactivated');
  await eventually(() => mails(contact.email), (m) => m.includes('subscription-reactivated'), 'the reactivation e-mail');
  expect(await mails(contact.email)).toEqual([
    'renewal-issued-pay-online', 'renewal-charge-failed',
    'renewal-issued-pay-online', 'renewal-charge-failed', 'renewal-reminder', 'subscription-suspended', 'subscription-reactivated',
  ]);
  await recordHistory(stack.env.client.workflow.getHandle(subscriptionBillingWorkflowId(subscription.subscriptionId)), 'customer-renewals-charged-saved-card');
});
