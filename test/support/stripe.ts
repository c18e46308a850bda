/**
 * The tests' Stripe: stripe-mock (started by test/setup/global-setup.ts) for the API calls Cauce makes,
 * and webhook deliveries built and signed with the Stripe SDK's own test helper, since stripe-mock
 * sends none.
 */
import Stripe from 'stripe';
import type { CauceConfig } from '../../lib/config';

export const STRIPE_WEBHOOK_SECRET = 'whsec_cauce_test_secret';

/** The configuration with Stripe on, pointed at stripe-mock. */
export function withStripe(config: CauceConfig): CauceConfig {
  const apiUrl = process.env.CAUCE_TEST_STRIPE_URL;
  if (!apiUrl) throw new Error('CAUCE_TEST_STRIPE_URL is not set: run the tests through jest (test/setup/global-setup.ts starts stripe-mock)');
  return { ...config, payments: { ...config.payments, gateway: 'stripe', stripe: { secretKey: 'sk_test_cauce', webhookSecret: STRIPE_WEBHOOK_SECRET, apiUrl } } };
}

let events = 0;

/** A PaymentIntent event as Stripe sends it, with the fields Cauce reads. */
export function paymentIntentEvent(
  type: 'payment_intent.succeeded' | 'payment_intent.payment_failed' | 'payment_intent.created',
  intent: { id: string; invoiceId: string; amount: number; currency: string; failure?: string; savesCard?: { customer: string; paymentMethod: string } },
) {
  const succeeded = type === 'payment_intent.succeeded';
  return {
    id: `evt_test_${Date.now().toString(36)}_${++events}`,
    object: 'event',
    type,
    api_version: '2025-01-27.acacia',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: {
      object: {
        id: intent.id, object: 'payment_intent', amount: intent.amount, amount_received: succeeded ? intent.amount : 0, currency: intent.currency.toLowerCase(),
        status: succeeded ? 'succeeded' : 'requires_payment_method', metadata: { invoiceId: intent.invoiceId },
        last_payment_error: intent.failure ? { message: intent.failure, type: 'card_error' } : null,
        // A Checkout payment that saves the card for later charges, as Cauce's pages ask.
        customer: intent.savesCard?.customer ?? null, payment_method: intent.savesCard?.paymentMethod ?? null, setup_future_usage: intent.savesCard ? 'off_session' : null,
      },
    },
  };
}

/** The body and the Stripe-Signature header of a delivery (`secret` another one: a forged delivery). */
export function signed(event: object, secret = STRIPE_WEBHOOK_SECRET): { body: string; signature: string } {
  const body = JSON.stringify(event);
  return { body, signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret }) };
}
