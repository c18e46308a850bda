/** Payment gateway webhooks. */
import { GATEWAYS } from '../../lib/payments/gateway';

export const GatewayParams = {
  $id: 'GatewayParams',
  type: 'object',
  required: ['gateway'],
  additionalProperties: false,
  properties: { gateway: { enum: GATEWAYS, description: 'The gateway that sends the delivery.' } },
} as const;

export const WebhookReceived = {
  $id: 'WebhookReceived',
  type: 'object',
  required: ['received', 'duplicate', 'eventId', 'outcome'],
  properties: {
    received: { const: true },
    duplicate: { type: 'boolean', description: 'The event was delivered before: nothing new happened.' },
    eventId: { type: 'string' },
    outcome: {
      enum: ['delivered', 'ignored', 'unknown_invoice', 'amount_mismatch', 'already_paid', 'not_heard'],
      description: "What Cauce did: delivered to the invoice's process or subscription; ignored (an event type, or a failed renewal attempt, that changes nothing); or kept without effect because the invoice is unknown, the amount or currency is not the invoice's, it was paid already, or no process waits for it.",
    },
  },
} as const;

export const webhooksSchemas = [GatewayParams, WebhookReceived] as const;
