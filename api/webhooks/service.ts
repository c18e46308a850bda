/**
 * Payment gateway webhooks (`POST /api/webhooks/gateways/:gateway`). A delivery is verified by its gateway
 * (a bad signature is 400 and nothing is written), looked up by its event id (a redelivery answers the
 * first one's outcome and does nothing), routed, then recorded:
 *   - a renewal's payment goes to its subscription's billing workflow (api/payments/renewals);
 *   - a seed-001 customer's invoice payment, or failed attempt, goes to the lead's process as the
 *     `invoice.paid` / `invoice.paymentFailed` message, which its YAML declares.
 * Payments that do not pay (another amount or currency, an invoice already paid, no such invoice) are
 * recorded with that outcome and answered 200: the gateway must not send them again. A process that has
 * the message but has not taken it yet is 503: nothing is recorded and the gateway retries.
 */
import { gatewayPaymentKey, gatewayPaymentMismatch, INVOICE_PAID, INVOICE_PAYMENT_FAILED, type GatewayPayment } from '../../domain/billing';
import { minorUnits } from '../../domain/money';
import { invoiceStore } from '../../lib/billing';
import { createEstimateStore } from '../../lib/estimates';
import { GatewayNotConfigured, WebhookSignatureError, type GatewayEvent, type GatewayName } from '../../lib/payments/gateway';
import { createGatewayEventStore, type GatewayOutcome } from '../../lib/payments/gateway-events';
import { createGateways } from '../../lib/payments/gateways';
import { renewalStore } from '../../lib/subscription-billing';
import { WorkflowNotFoundError } from '@temporalio/client';
import { EventErrors } from '../../workflows/messages';
import type { AppDeps } from '../deps';
import { badRequest, HttpError } from '../errors';
import { UUID_PATTERN } from '../shared-schemas';
import { NOT_HEARD, type MessageRouter } from '../messages/router';
import { sendRenewalPayment } from '../payments/renewals';

export interface WebhookAnswer { received: true; duplicate: boolean; eventId: string; outcome: GatewayOutcome }

const UUID = new RegExp(UUID_PATTERN, 'i');

interface Routed { outcome: GatewayOutcome; invoiceId: string | null; instanceId: string | null }


export function createWebhookService(deps: AppDeps, messages: MessageRouter) {
  const gateways = createGateways(deps.config.payments);
  const events = createGatewayEventStore(deps.db);
  const estimates = createEstimateStore(deps.db);

  async function verified(name: GatewayName, raw: unknown, headers: Record<string, string | undefined>): Promise<GatewayEvent> {
    if (!Buffer.isBuffer(raw) || raw.length === 0) throw badRequest('invalid_webhook', 'The webhook has no body');
    try {
      return await gateways.byName[name].parseWebhook(raw, headers);
    } catch (err) {
      if (err instanceof WebhookSignatureError) throw badRequest('bad_signature', err.message);
      if (err instanceof GatewayNotConfigured) throw new HttpError(503, 'gateway_not_configured', err.message, { gateway: name }, 3600);
      throw err;
    }
  }

  async function route(name: GatewayName, event: Exclude<GatewayEvent, { kind: 'ignored' }>): Promise<Routed> {
    const invoice = event.invoiceId && UUID.test(event.invoiceId) ? await invoiceStore.byId(deps.db, event.invoiceId) : undefined;
    if (!invoice) return { outcome: 'unknown_invoice', invoiceId: null, instanceId: null };
    const noted = (outcome: GatewayOutcome, instanceId: string | null = null): Routed => ({ outcome, invoiceId: invoice.id, instanceId });
    const paid = { amountMinor: event.amountMinor, currency: event.currency };
    const mismatch = gatewayPaymentMismatch(paid, { amountMinor: minorUnits(invoice.amount), currency: invoice.currency });

    const renewal = await renewalStore.byId(deps.db, invoice.id);
    if (renewal) {
      // A failed attempt changes nothing: the renewal's dunning (reminder, grace, suspension) runs on its dates.
      if (event.kind === 'failed') return noted('ignored');
      if (renewal.paid_at) return noted('already_paid');
      if (mismatch) return noted('amount_mismatch');
      try {
        const workflowId = await sendRenewalPayment(deps.temporal, gatewayPaymentKey(name, event.paymentId), renewal, {
          amount: event.amountMinor / 100, currency: event.currency, method: name, transactionId: event.paymentId, paidAt: event.occurredAt, savedMethod: event.savedMethod,
        });
        return noted('delivered', workflowId);
      } catch (err) {
        // The subscription's billing has ended (cancelled): nobody will take the payment.
        if (err instanceof WorkflowNotFoundError) return noted('not_heard');
        throw err;
      }
    }

    const businessKey = invoice.estimate_id ? (await estimates.get(invoice.estimate_id))?.business_key : null;
    if (!businessKey) return noted('unknown_invoice');
    if (event.kind === 'succeeded' && invoice.status === 'paid') return noted('already_paid');
    if (event.kind === 'succeeded' && mismatch) return noted('amount_mismatch');
    const payload: GatewayPayment = {
      invoiceId: invoice.id, gateway: name, paymentId: event.paymentId, amountMinor: event.amountMinor, currency: event.currency, at: event.occurredAt, failure: event.failure, savedMethod: event.savedMethod,
    };
    const outcome = event.kind === 'succeeded' ? 'paid' : 'failed';
    try {
      const routed = await messages.send(
        { id: `gateway:${name}`, username: name, roles: [] },
        { name: event.kind === 'succeeded' ? INVOICE_PAID : INVOICE_PAYMENT_FAILED, businessKey, messageId: `${name}:${outcome}:${event.paymentId}`, payload: payload as unknown as Record<string, unknown> },
      );
      return noted('delivered', routed.opened.instanceId);
    } catch (err) {
      // The process has ended or waits for no payment (the invoice was voided): nobody will take it.
      if (err instanceof HttpError && NOT_HEARD.has(err.code)) return noted('not_heard');
      // Not taken yet (another of its messages still in flight, or the wait ran out): the gateway delivers it again.
      if (err instanceof HttpError && (err.status === 504 || err.code === EventErrors.inFlight)) throw new HttpError(503, 'event_pending', `${err.message}; the gateway will deliver it again`, err.details, 60);
      throw err;
    }
  }

  return {
    async receive(name: GatewayName, raw: unknown, headers: Record<string, string | undefined>): Promise<WebhookAnswer> {
      const event = await verified(name, raw, headers);
      const seen = await events.find(name, event.eventId);
      if (seen) return { received: true, duplicate: true, eventId: event.eventId, outcome: seen.outcome };
      const routed: Routed = event.kind === 'ignored' ? { outcome: 'ignored', invoiceId: null, instanceId: null } : await route(name, event);
      const first = await events.record(name, event, routed.outcome, routed.invoiceId, routed.instanceId);
      return { received: true, duplicate: !first, eventId: event.eventId, outcome: routed.outcome };
    },
  };
}
