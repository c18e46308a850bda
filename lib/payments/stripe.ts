/**
 * Stripe through its official SDK. A payment is a Checkout Session (Stripe's hosted page) whose
 * PaymentIntent carries the invoice id in its metadata; the webhook reads the PaymentIntent events,
 * which Stripe sends for a Checkout payment and for any later charge of the same invoice alike:
 * `payment_intent.succeeded` and `payment_intent.payment_failed`. Every other event type is ignored.
 * The signature is checked with the SDK's constructEvent (HMAC of the raw body, with a 5-minute
 * tolerance on its timestamp).
 *
 * A seed-001 customer's page saves the card (setup_future_usage off_session, on a Stripe customer), so
 * its renewals are charged without the customer: a PaymentIntent confirmed off-session on that card.
 */
import Stripe from 'stripe';
import type { SavedPaymentMethod } from '../../domain/billing';
import { GatewayNotConfigured, WebhookSignatureError, type ChargeAnswer, type GatewayEvent, type OpenedPayment, type PaymentGateway, type PaymentRequest, type SavedMethodCharge } from './gateway';

export interface StripeSettings { secretKey: string | null; webhookSecret: string | null; apiUrl: string | null }

const HANDLED = new Set(['payment_intent.succeeded', 'payment_intent.payment_failed']);

/**
 * Stripe counts these currencies in whole units, where Cauce (domain/money) counts hundredths of every
 * currency: the amounts are converted at the boundary.
 */
const ZERO_DECIMAL = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);
const toStripe = (minor: number, currency: string) => (ZERO_DECIMAL.has(currency.toUpperCase()) ? Math.round(minor / 100) : minor);
const fromStripe = (amount: number, currency: string) => (ZERO_DECIMAL.has(currency.toUpperCase()) ? amount * 100 : amount);

/** The SDK's options for a Stripe-compatible server at `apiUrl` (stripe-mock), or for Stripe itself. */
function endpoint(apiUrl: string | null): Stripe.StripeConfig {
  const base = { maxNetworkRetries: 2, telemetry: false, timeout: 20_000 };
  if (!apiUrl) return base;
  const url = new URL(apiUrl);
  return { ...base, host: url.hostname, port: url.port || (url.protocol === 'https:' ? 443 : 80), protocol: url.protocol === 'https:' ? 'https' : 'http' };
}

const refOf = (value: string | { id: string } | null | undefined): string | null => (typeof value === 'string' ? value : (value?.id ?? null));

/** The card a payment saved for off-session charges: only one paid with setup_future_usage off_session. */
function savedMethodOf(intent: Stripe.PaymentIntent): SavedPaymentMethod | null {
  const customerRef = refOf(intent.customer);
  const methodRef = refOf(intent.payment_method);
  return intent.setup_future_usage === 'off_session' && customerRef && methodRef ? { gateway: 'stripe', customerRef, methodRef } : null;
}

/**
 * An off-session PaymentIntent's answer: succeeded (or processing, for a debit that settles later) is
 * taken, its webhook pays the invoice; anything else did not charge the card. `requires_action` is the
 * bank asking for the customer's authentication, which only the customer can give, on the page.
 */
export function chargeAnswer(intent: Pick<Stripe.PaymentIntent, 'id' | 'status' | 'last_payment_error'>): ChargeAnswer {
  if (intent.status === 'succeeded' || intent.status === 'processing') return { outcome: 'accepted', paymentRef: intent.id, failure: null };
  const failure = intent.status === 'requires_action'
    ? 'your bank asks you to confirm this payment yourself'
    : (intent.last_payment_error?.message ?? `the card was not charged (${intent.status.replace(/_/g, ' ')})`);
  return { outcome: 'declined', paymentRef: intent.id, failure };
}

export function stripeGateway(settings: StripeSettings): PaymentGateway {
  let client: Stripe | undefined;
  const api = (): Stripe => {
    if (!settings.secretKey) throw new GatewayNotConfigured('stripe', 'payments.stripe.secretKey (STRIPE_SECRET_KEY)');
    client ??= new Stripe(settings.secretKey, endpoint(settings.apiUrl));
    return client;
  };

  return {
    name: 'stripe',

    async openPayment(request: PaymentRequest): Promise<OpenedPayment> {
      const metadata = { invoiceId: request.invoiceId, invoiceNumber: String(request.invoiceNumber) };
      // A payer whose card Stripe keeps already pays as that Stripe customer; a new one becomes one.
      const payer: Partial<Stripe.Checkout.SessionCreateParams> = request.gatewayCustomerRef
        ? { customer: request.gatewayCustomerRef }
        : { customer_email: request.customerEmail, ...(request.saveMethod ? { customer_creation: 'always' as const } : {}) };
      const session = await api().checkout.sessions.create(
        {
          mode: 'payment',
          ...payer,
          success_url: request.returnUrl,
          line_items: [{ quantity: 1, price_data: { currency: request.currency.toLowerCase(), unit_amount: toStripe(request.amountMinor, request.currency), product_data: { name: request.description } } }],
          metadata,
          payment_intent_data: { metadata, description: request.description, ...(request.saveMethod ? { setup_future_usage: 'off_session' as const } : {}) },
        },
        // One page per invoice: a retried activity gets the session the first attempt opened.
        { idempotencyKey: `cauce-invoice-${request.invoiceId}` },
      );
      if (!session.url) throw new Error(`Stripe opened checkout session ${session.id} without a URL`);
      return { gateway: 'stripe', id: session.id, url: session.url };
    },

    async chargeSavedMethod(charge: SavedMethodCharge): Promise<ChargeAnswer> {
      try {
        const intent = await api().paymentIntents.create(
          {
            amount: toStripe(charge.amountMinor, charge.currency), currency: charge.currency.toLowerCase(), description: charge.description,
            customer: charge.method.customerRef, payment_method: charge.method.methodRef, off_session: true, confirm: true,
            metadata: { invoiceId: charge.invoiceId, invoiceNumber: String(charge.invoiceNumber) },
          },
          { idempotencyKey: charge.idempotencyKey },
        );
        return chargeAnswer(intent);
      } catch (err) {
        // Stripe answers a declined off-session confirmation with a card error carrying the PaymentIntent.
        if (err instanceof Stripe.errors.StripeCardError) return { outcome: 'declined', paymentRef: err.payment_intent?.id ?? null, failure: err.message };
        throw err;
      }
    },

    async parseWebhook(rawBody: Buffer, headers: Record<string, string | undefined>): Promise<GatewayEvent> {
      if (!settings.webhookSecret) throw new GatewayNotConfigured('stripe', 'payments.stripe.webhookSecret (STRIPE_WEBHOOK_SECRET)');
      const signature = headers['stripe-signature'];
      if (!signature) throw new WebhookSignatureError('stripe', 'no Stripe-Signature header');
      let event: Stripe.Event;
      try {
        event = Stripe.webhooks.constructEvent(rawBody, signature, settings.webhookSecret);
      } catch (err) {
        throw new WebhookSignatureError('stripe', (err as Error).message);
      }
      if (!HANDLED.has(event.type)) return { kind: 'ignored', eventId: event.id, type: event.type };
      const intent = event.data.object as Stripe.PaymentIntent;
      const succeeded = event.type === 'payment_intent.succeeded';
      return {
        kind: succeeded ? 'succeeded' : 'failed',
        eventId: event.id,
        type: event.type,
        invoiceId: intent.metadata?.invoiceId ?? null,
        paymentId: intent.id,
        amountMinor: fromStripe(succeeded ? intent.amount_received : intent.amount, intent.currency),
        currency: intent.currency.toUpperCase(),
        occurredAt: new Date(event.created * 1000).toISOString(),
        failure: succeeded ? null : (intent.last_payment_error?.message ?? 'the payment failed'),
        savedMethod: succeeded ? savedMethodOf(intent) : null,
      };
    },
  };
}
