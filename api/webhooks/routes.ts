import { defineRoute, type RouteDef } from '../routing';
import { errorReply } from '../shared-schemas';
import { GatewayParams, WebhookReceived } from './schemas';
import type { createWebhookService } from './service';

/** Where gateway webhooks are posted: the raw body is kept (api/app.ts), as the signature covers its bytes. */
export const WEBHOOKS_PATH = '/api/webhooks/gateways';

export function webhookRoutes(webhooks: ReturnType<typeof createWebhookService>): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: `${WEBHOOKS_PATH}/:gateway`,
      summary: "A payment gateway's webhook (public: the gateway's signature is the credential). Stripe's payment_intent.succeeded / payment_failed pay a seed-001 invoice through its lead's process, or a renewal through its subscription; a redelivered event changes nothing",
      tag: 'payments',
      auth: 'public',
      params: GatewayParams,
      bodyTypes: ['application/json'],
      headers: [{ name: 'Stripe-Signature', description: "Stripe's signature of the body (PayPal sends its PAYPAL-TRANSMISSION-* headers)" }],
      responses: {
        200: { description: 'Verified and handled (or a duplicate): `outcome` says what Cauce did', schema: WebhookReceived },
        400: errorReply('The signature does not verify, or there is no body (`bad_signature`, `invalid_webhook`): nothing was recorded'),
        503: errorReply('The gateway has no keys here (`gateway_not_configured`), or the process has not taken the payment yet (`event_pending`): the gateway retries'),
      },
      handler: ({ params, req }) => webhooks.receive(params.gateway, req.body, req.headers as Record<string, string | undefined>),
    }),
  ];
}
