/**
 * The Stripe adapter's reading of webhook deliveries, with signatures made by the SDK's test helper:
 * which events become payments, the amounts in Cauce's minor units (zero-decimal currencies
 * converted), and the refusals (no signature, another secret, no secret configured).
 */
import { GatewayNotConfigured, WebhookSignatureError } from '../../../lib/payments/gateway';
import type Stripe from 'stripe';
import { chargeAnswer, stripeGateway } from '../../../lib/payments/stripe';
import { paymentIntentEvent, signed, STRIPE_WEBHOOK_SECRET } from '../../support/stripe';

const gateway = stripeGateway({ secretKey: null, webhookSecret: STRIPE_WEBHOOK_SECRET, apiUrl: null });
const parse = (delivery: { body: string; signature: string }) => gateway.parseWebhook(Buffer.from(delivery.body), { 'stripe-signature': delivery.signature });
const intent = { id: 'pi_1', invoiceId: 'f2a1c7de-0c9b-4a53-9d5e-1f1f7b8c1a10', amount: 5_938_100, currency: 'cop' };

test('a succeeded PaymentIntent is a payment of the invoice its metadata names, in minor units', async () => {
  const event = paymentIntentEvent('payment_intent.succeeded', intent);
  expect(await parse(signed(event))).toEqual({
    kind: 'succeeded', eventId: event.id, type: 'payment_intent.succeeded', invoiceId: intent.invoiceId, paymentId: 'pi_1',
    amountMinor: 5_938_100, currency: 'COP', occurredAt: new Date(event.created * 1000).toISOString(), failure: null, savedMethod: null,
  });
});

test('a payment made to save the card (setup_future_usage off_session) names the Stripe customer and card charged for the renewals', async () => {
  const saving = paymentIntentEvent('payment_intent.succeeded', { ...intent, savesCard: { customer: 'cus_9', paymentMethod: 'pm_9' } });
  expect(await parse(signed(saving))).toMatchObject({ kind: 'succeeded', savedMethod: { gateway: 'stripe', customerRef: 'cus_9', methodRef: 'pm_9' } });
  // The same customer and card on a payment that did not ask to keep the card: not reusable off-session.
  const once = paymentIntentEvent('payment_intent.succeeded', intent);
  Object.assign(once.data.object, { customer: 'cus_9', payment_method: 'pm_9' });
  expect(await parse(signed(once))).toMatchObject({ savedMethod: null });
});

test("an off-session charge's answer: succeeded or processing is taken, anything else declined with the reason the customer reads", () => {
  const answer = (status: Stripe.PaymentIntent.Status, message?: string) => chargeAnswer({ id: 'pi_7', status, last_payment_error: message ? ({ message } as Stripe.PaymentIntent.LastPaymentError) : null });
  expect(answer('succeeded')).toEqual({ outcome: 'accepted', paymentRef: 'pi_7', failure: null });
  expect(answer('processing')).toEqual({ outcome: 'accepted', paymentRef: 'pi_7', failure: null });
  expect(answer('requires_payment_method', 'Your card was declined.')).toEqual({ outcome: 'declined', paymentRef: 'pi_7', failure: 'Your card was declined.' });
  expect(answer('requires_payment_method')).toEqual({ outcome: 'declined', paymentRef: 'pi_7', failure: 'the card was not charged (requires payment method)' });
  expect(answer('requires_action')).toEqual({ outcome: 'declined', paymentRef: 'pi_7', failure: 'your bank asks you to confirm this payment yourself' });
  expect(answer('canceled')).toMatchObject({ outcome: 'declined' });
});

test('a failed one carries the reason Stripe gives; other event types are ignored', async () => {
  expect(await parse(signed(paymentIntentEvent('payment_intent.payment_failed', { ...intent, failure: 'Your card has insufficient funds.' })))).toMatchObject({
    kind: 'failed', amountMinor: 5_938_100, failure: 'Your card has insufficient funds.',
  });
  const created = paymentIntentEvent('payment_intent.created', intent);
  expect(await parse(signed(created))).toEqual({ kind: 'ignored', eventId: created.id, type: 'payment_intent.created' });
});

test('Stripe counts a zero-decimal currency (CLP) in whole units: Cauce gets hundredths', async () => {
  expect(await parse(signed(paymentIntentEvent('payment_intent.succeeded', { ...intent, amount: 19_990, currency: 'clp' })))).toMatchObject({ amountMinor: 1_999_000, currency: 'CLP' });
});

test('no signature, another secret or a changed body is a WebhookSignatureError; no secret configured is GatewayNotConfigured', async () => {
  const event = paymentIntentEvent('payment_intent.succeeded', intent);
  await expect(gateway.parseWebhook(Buffer.from(JSON.stringify(event)), {})).rejects.toThrow(new WebhookSignatureError('stripe', 'no Stripe-Signature header'));
  await expect(parse(signed(event, 'whsec_other'))).rejects.toBeInstanceOf(WebhookSignatureError);
  const good = signed(event);
  await expect(parse({ ...good, body: good.body.replace('pi_1', 'pi_2') })).rejects.toBeInstanceOf(WebhookSignatureError);
  const unconfigured = stripeGateway({ secretKey: null, webhookSecret: null, apiUrl: null });
  await expect(unconfigured.parseWebhook(Buffer.from(good.body), { 'stripe-signature': good.signature })).rejects.toBeInstanceOf(GatewayNotConfigured);
  await expect(unconfigured.openPayment({ invoiceId: intent.invoiceId, invoiceNumber: 1, amountMinor: 100, currency: 'COP', description: 'x', customerEmail: 'a@b.co', returnUrl: 'http://x' })).rejects.toBeInstanceOf(GatewayNotConfigured);
});
