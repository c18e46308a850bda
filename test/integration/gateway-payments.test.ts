/**
 * Seed 001's invoice paid through Stripe, on real Postgres and Temporal: Cauce opens the invoice's
 * Checkout page at stripe-mock (Stripe's API emulator, which checks each call against Stripe's spec),
 * and Stripe's webhook deliveries, built and signed with the SDK's test helper, pay it through the
 * lead's process. A bad signature is 400 with nothing recorded; a redelivery changes nothing; a payment
 * that does not pay the invoice is kept without effect.
 */
import { eventually, expectError, startApiStack, type ApiStack, type Caller } from '../support/api';
import { leadWithSentInvoice, seed001People } from '../support/lead-api';
import { recordHistory } from '../support/histories';
import { paymentIntentEvent, signed, withStripe } from '../support/stripe';

let stack: ApiStack;
let sales: Caller;
let billing: Caller;

beforeAll(async () => {
  stack = await startApiStack('gateway', { config: withStripe });
  ({ sales, billing } = await seed001People(stack));
});

afterAll(async () => {
  await stack?.close();
});

const run = Date.now().toString(36);
let leads = 0;
const process = (id: string) => stack.request('GET', `/api/processes/${id}`, sales.token).then((r) => r.body);
const settledAt = (id: string, done: (p: any) => boolean, what: string) => eventually(() => process(id), done, what);
const invoicedLead = () => leadWithSentInvoice(stack, { sales, billing }, `pay-${run}-${++leads}`);
const deliver = (delivery: { body: string; signature?: string }) =>
  stack.request('POST', '/api/webhooks/gateways/stripe', undefined, undefined, { raw: delivery.body, headers: { 'content-type': 'application/json', ...(delivery.signature ? { 'stripe-signature': delivery.signature } : {}) } });

test('the invoice e-mail links its Stripe page; a failed attempt e-mails the customer to try again; the signed payment pays it through the lead, once', async () => {
  const { lead, contact, invoice } = await invoicedLead();
  // Opened at Stripe (stripe-mock) and kept on the invoice; the e-mail carries the page.
  expect(invoice.paymentUrl).toMatch(/^https:\/\/checkout\.stripe\.com\//);
  expect(await stack.db('invoices').where({ id: invoice.invoiceId }).first()).toMatchObject({ status: 'sent', gateway: 'stripe', gateway_payment_id: expect.stringMatching(/^cs_/), payment_url: invoice.paymentUrl });
  const mail = await stack.db('outbox').where({ recipient: contact.email, template: 'customer-invoice-pay-online' }).first();
  expect(mail.payload).toMatchObject({ invoiceNumber: invoice.number, amount: '59381.00', currency: 'COP', paymentUrl: invoice.paymentUrl });

  const intent = { id: `pi_${run}_${leads}`, invoiceId: invoice.invoiceId, amount: 5_938_100, currency: 'cop' };
  const failed = await deliver(signed(paymentIntentEvent('payment_intent.payment_failed', { ...intent, failure: 'Your card was declined.' })));
  expect(failed).toMatchObject({ status: 200, body: { duplicate: false, outcome: 'delivered' } });
  const retryMail = await eventually(() => stack.db('outbox').where({ recipient: contact.email, template: 'invoice-payment-failed' }).first() as Promise<{ payload: object } | undefined>, Boolean, 'the payment-failed e-mail');
  expect(retryMail!.payload).toMatchObject({ failure: 'Your card was declined.', paymentUrl: invoice.paymentUrl, invoiceNumber: invoice.number });
  await settledAt(lead, (p) => p.currentSteps.includes('awaitPayment'), 'waiting for the payment again');

  // Paid on the Checkout page, which saved the card (setup_future_usage off_session) for the renewals.
  const payment = signed(paymentIntentEvent('payment_intent.succeeded', { ...intent, savesCard: { customer: `cus_${run}`, paymentMethod: `pm_${run}` } }));
  expect(await deliver(payment)).toMatchObject({ status: 200, body: { duplicate: false, outcome: 'delivered' } });
  const paid = await settledAt(lead, (p) => p.status === 'completed', 'the invoice paid');
  expect(paid).toMatchObject({ outcome: 'paid', stage: 'paid', variables: { invoice: { status: 'paid', firstPayment: true } } });
  expect(paid.stageHistory.at(-1)).toMatchObject({ stage: 'paid', actor: 'stripe' });
  const row = await stack.db('invoices').where({ id: invoice.invoiceId }).first();
  expect(row).toMatchObject({ status: 'paid', paid_at: expect.any(Date) });
  expect(await stack.db('payments').where({ id: row.payment_id }).first()).toMatchObject({ amount: '59381.00', currency: 'COP', method: 'stripe', external_reference: intent.id, customer_id: expect.any(String) });
  await eventually(() => stack.db('outbox').where({ recipient: contact.email, template: 'invoice-paid' }).first(), Boolean, 'the receipt');
  expect(await stack.db('customers').where({ id: row.customer_id }).first()).toMatchObject({ payment_gateway: 'stripe', gateway_customer_ref: `cus_${run}`, gateway_method_ref: `pm_${run}` });
  // Paid, the plan is billed every month from the payment on (test/workflows/customer-recurring-billing.test.ts follows the renewals).
  expect(paid.variables.subscription).toMatchObject({ started: true });
  expect(await stack.db('subscriptions').where({ id: paid.variables.subscription.subscriptionId }).first()).toMatchObject({ customer_id: row.customer_id, base_price: '59381.00', product: 'Kontaly Pro (mensual)', status: 'active' });
  await recordHistory(await stack.handle(lead), 'lead-paid-through-gateway');

  // Billing's view of the customer's invoices: the paid one, no longer offering its page.
  const listed = await stack.request('GET', `/api/invoices?customerId=${row.customer_id}`, billing.token);
  expect(listed.body).toMatchObject({ total: 1, items: [{ id: invoice.invoiceId, status: 'paid', amountMinor: 5_938_100, paymentUrl: null, paidAt: expect.any(String) }] });
  expect((await stack.request('GET', `/api/invoices/${invoice.invoiceId}`, billing.token)).body).toMatchObject({ number: invoice.number, status: 'paid', customerId: row.customer_id });

  // Stripe delivers the same event again: a duplicate, with no second effect.
  expect(await deliver(payment)).toMatchObject({ status: 200, body: { duplicate: true, outcome: 'delivered' } });
  // Another payment of the paid invoice is kept, without effect.
  expect(await deliver(signed(paymentIntentEvent('payment_intent.succeeded', { ...intent, id: `${intent.id}_again` })))).toMatchObject({ status: 200, body: { outcome: 'already_paid' } });
  expect(await stack.db('payments').where({ customer_id: row.customer_id })).toHaveLength(1);
  expect((await stack.db('gateway_events').where({ invoice_id: invoice.invoiceId }).orderBy('received_at')).map((e) => [e.type, e.outcome])).toEqual([
    ['payment_intent.payment_failed', 'delivered'],
    ['payment_intent.succeeded', 'delivered'],
    ['payment_intent.succeeded', 'already_paid'],
  ]);
});

test('a delivery whose signature does not verify is 400 and nothing is recorded; an amount that is not the invoice\'s pays nothing', async () => {
  const { lead, invoice } = await invoicedLead();
  const intent = { id: `pi_${run}_${leads}`, invoiceId: invoice.invoiceId, amount: 5_938_100, currency: 'cop' };
  const before = Number((await stack.db('gateway_events').count<{ count: string }[]>('* as count'))[0].count);

  const forged = await deliver(signed(paymentIntentEvent('payment_intent.succeeded', intent), 'whsec_someone_else'));
  expectError(forged, 400, 'bad_signature');
  expect(forged.body.error.message).toContain('the stripe webhook signature does not verify');
  expectError(await deliver({ body: JSON.stringify(paymentIntentEvent('payment_intent.succeeded', intent)) }), 400, 'bad_signature');
  // A body changed after signing.
  const tampered = signed(paymentIntentEvent('payment_intent.succeeded', intent));
  expectError(await deliver({ body: tampered.body.replace('5938100', '100'), signature: tampered.signature }), 400, 'bad_signature');
  expect(Number((await stack.db('gateway_events').count<{ count: string }[]>('* as count'))[0].count)).toBe(before);

  expect(await deliver(signed(paymentIntentEvent('payment_intent.succeeded', { ...intent, amount: 100 })))).toMatchObject({ status: 200, body: { outcome: 'amount_mismatch' } });
  expect(await deliver(signed(paymentIntentEvent('payment_intent.succeeded', { ...intent, currency: 'usd' })))).toMatchObject({ status: 200, body: { outcome: 'amount_mismatch' } });
  expect(await deliver(signed(paymentIntentEvent('payment_intent.succeeded', { ...intent, invoiceId: '00000000-0000-4000-8000-000000000000' })))).toMatchObject({ status: 200, body: { outcome: 'unknown_invoice' } });
  expect(await deliver(signed(paymentIntentEvent('payment_intent.created', intent)))).toMatchObject({ status: 200, body: { outcome: 'ignored' } });
  expect((await process(lead)).currentSteps).toEqual(['awaitPayment']);
  expect(await stack.db('invoices').where({ id: invoice.invoiceId }).first()).toMatchObject({ status: 'sent', paid_at: null, payment_id: null });
});
