/** The gateways as configured: each one's adapter, and the one invoice payments are opened with. */
import type { CauceConfig } from '../config';
import type { GatewayName, PaymentGateway } from './gateway';
import { paypalGateway } from './paypal';
import { stripeGateway } from './stripe';

export interface Gateways {
  byName: Record<GatewayName, PaymentGateway>;
  /** Where invoice payments are opened; null when `payments.gateway` is `none` or its keys are missing. */
  opening: PaymentGateway | null;
}

export function createGateways(payments: CauceConfig['payments']): Gateways {
  const byName = { stripe: stripeGateway(payments.stripe), paypal: paypalGateway(payments.paypal) };
  const configured = { stripe: Boolean(payments.stripe.secretKey), paypal: Boolean(payments.paypal.clientId && payments.paypal.clientSecret), none: false };
  return { byName, opening: payments.gateway !== 'none' && configured[payments.gateway] ? byName[payments.gateway] : null };
}
