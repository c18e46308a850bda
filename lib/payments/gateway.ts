import type { SavedPaymentMethod } from '../../domain/billing';

/**
 * A payment gateway, as Cauce uses one: it opens a payment of an invoice (the page the customer pays
 * on) and turns the gateway's signed webhook deliveries into Cauce's own payment events. Stripe
 * (lib/payments/stripe.ts) is tested against stripe-mock and signed test events; PayPal
 * (lib/payments/paypal.ts) sits behind the same interface as an adapter only.
 */

export const GATEWAYS = ['stripe', 'paypal'] as const;
export type GatewayName = (typeof GATEWAYS)[number];

/** What Cauce asks a gateway to collect: one invoice, in integer minor units. */
export interface PaymentRequest {
  invoiceId: string;
  invoiceNumber: number;
  amountMinor: number;
  currency: string;
  description: string;
  customerEmail: string;
  /** Where the payer lands after paying. */
  returnUrl: string;
  /** Keep the card for later charges without the customer (a seed-001 customer's renewals). */
  saveMethod?: boolean;
  /** The gateway's customer already known for this payer (its card saved before): the page is theirs. */
  gatewayCustomerRef?: string | null;
}

/** A charge of a saved card without the customer present (off-session), at most once per idempotency key. */
export interface SavedMethodCharge {
  invoiceId: string;
  invoiceNumber: number;
  amountMinor: number;
  currency: string;
  description: string;
  method: SavedPaymentMethod;
  idempotencyKey: string;
}

/**
 * What the gateway answered at once: `accepted` (taken, or in progress: its webhook reports the payment)
 * or `declined`, with the reason the customer is told.
 */
export interface ChargeAnswer {
  outcome: 'accepted' | 'declined';
  paymentRef: string | null;
  failure: string | null;
}

export interface OpenedPayment {
  gateway: GatewayName;
  /** The gateway's id of the payment page (a Stripe Checkout Session, a PayPal order). */
  id: string;
  /** Where the customer pays. */
  url: string;
}

/**
 * A verified webhook delivery, in Cauce's terms. `paymentId` names the money movement (a Stripe
 * PaymentIntent, a PayPal capture): the same payment reported by two deliveries is one payment.
 */
export type GatewayEvent =
  | {
      kind: 'succeeded' | 'failed'; eventId: string; type: string; invoiceId: string | null; paymentId: string; amountMinor: number; currency: string; occurredAt: string; failure: string | null;
      /** The card this payment saved for later charges, when it saved one. */
      savedMethod: SavedPaymentMethod | null;
    }
  | { kind: 'ignored'; eventId: string; type: string };

/** The delivery's signature does not verify: it is answered 400 and nothing of it is written. */
export class WebhookSignatureError extends Error {
  constructor(readonly gateway: GatewayName, detail: string) {
    super(`the ${gateway} webhook signature does not verify: ${detail}`);
    this.name = 'WebhookSignatureError';
  }
}

/** The gateway is not set up here (no keys in the configuration). */
export class GatewayNotConfigured extends Error {
  constructor(readonly gateway: GatewayName, missing: string) {
    super(`the ${gateway} gateway is not configured: set ${missing}`);
    this.name = 'GatewayNotConfigured';
  }
}

export interface PaymentGateway {
  readonly name: GatewayName;
  openPayment(request: PaymentRequest): Promise<OpenedPayment>;
  /** Charges a saved card; absent where the gateway keeps no cards here (PayPal's adapter). */
  chargeSavedMethod?(charge: SavedMethodCharge): Promise<ChargeAnswer>;
  /** The delivery as Cauce reads it; WebhookSignatureError when it is not the gateway's. */
  parseWebhook(rawBody: Buffer, headers: Record<string, string | undefined>): Promise<GatewayEvent>;
}
