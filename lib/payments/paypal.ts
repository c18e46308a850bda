/**
 * PayPal behind the gateway interface: an adapter only. No PayPal test server can run here, so nothing
 * exercises it against PayPal; it follows PayPal's REST API (Orders v2, and webhook signatures checked
 * by PayPal's verify-webhook-signature endpoint, which needs the webhook id). A payment is an order whose
 * purchase unit carries the invoice id as `custom_id`; the webhook reads the capture events.
 */
import { decimalAmount } from '../../domain/money';
import { GatewayNotConfigured, WebhookSignatureError, type GatewayEvent, type OpenedPayment, type PaymentGateway, type PaymentRequest } from './gateway';

export interface PayPalSettings { clientId: string | null; clientSecret: string | null; webhookId: string | null; apiUrl: string }

const OUTCOMES: Record<string, 'succeeded' | 'failed'> = { 'PAYMENT.CAPTURE.COMPLETED': 'succeeded', 'PAYMENT.CAPTURE.DENIED': 'failed', 'PAYMENT.CAPTURE.DECLINED': 'failed' };

interface Capture { id: string; custom_id?: string; amount: { currency_code: string; value: string } }

export function paypalGateway(settings: PayPalSettings): PaymentGateway {
  async function call<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
    if (!settings.clientId || !settings.clientSecret) throw new GatewayNotConfigured('paypal', 'payments.paypal.clientId and clientSecret (PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET)');
    const basic = Buffer.from(`${settings.clientId}:${settings.clientSecret}`).toString('base64');
    const token = (await (await fetch(`${settings.apiUrl}/v1/oauth2/token`, { method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' })).json()) as { access_token: string };
    const res = await fetch(`${settings.apiUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`PayPal ${path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    return (await res.json()) as T;
  }

  return {
    name: 'paypal',

    async openPayment(request: PaymentRequest): Promise<OpenedPayment> {
      const order = await call<{ id: string; links: Array<{ rel: string; href: string }> }>(
        '/v2/checkout/orders',
        {
          intent: 'CAPTURE',
          purchase_units: [{ custom_id: request.invoiceId, invoice_id: String(request.invoiceNumber), description: request.description, amount: { currency_code: request.currency, value: decimalAmount(request.amountMinor) } }],
          payment_source: { paypal: { experience_context: { return_url: request.returnUrl, cancel_url: request.returnUrl } } },
        },
        { 'PayPal-Request-Id': `cauce-invoice-${request.invoiceId}` },
      );
      const approve = order.links.find((l) => l.rel === 'payer-action' || l.rel === 'approve');
      if (!approve) throw new Error(`PayPal order ${order.id} has no approval link`);
      return { gateway: 'paypal', id: order.id, url: approve.href };
    },

    async parseWebhook(rawBody: Buffer, headers: Record<string, string | undefined>): Promise<GatewayEvent> {
      if (!settings.webhookId) throw new GatewayNotConfigured('paypal', 'payments.paypal.webhookId (PAYPAL_WEBHOOK_ID)');
      let event: { id: string; event_type: string; create_time: string; resource: Capture };
      try {
        event = JSON.parse(rawBody.toString('utf8'));
      } catch {
        throw new WebhookSignatureError('paypal', 'the body is not JSON');
      }
      const verification = await call<{ verification_status: string }>('/v1/notifications/verify-webhook-signature', {
        auth_algo: headers['paypal-auth-algo'], cert_url: headers['paypal-cert-url'], transmission_id: headers['paypal-transmission-id'],
        transmission_sig: headers['paypal-transmission-sig'], transmission_time: headers['paypal-transmission-time'], webhook_id: settings.webhookId, webhook_event: event,
      });
      if (verification.verification_status !== 'SUCCESS') throw new WebhookSignatureError('paypal', `PayPal answered ${verification.verification_status}`);
      const kind = OUTCOMES[event.event_type];
      if (!kind) return { kind: 'ignored', eventId: event.id, type: event.event_type };
      const capture = event.resource;
      return {
        kind, eventId: event.id, type: event.event_type, invoiceId: capture.custom_id ?? null, paymentId: capture.id,
        amountMinor: Math.round(Number(capture.amount.value) * 100), currency: capture.amount.currency_code, occurredAt: event.create_time,
        failure: kind === 'failed' ? `PayPal reported ${event.event_type}` : null,
        // PayPal's vault (saved payment methods) is not wired here: its renewals are paid on their page.
        savedMethod: null,
      };
    },
  };
}
