/**
 * The gateway event store (table gateway_events, migration 030): every verified webhook delivery, once
 * per gateway and event id, with what Cauce did with it. A redelivery finds the first row.
 */
import type { Knex } from 'knex';
import type { GatewayEvent, GatewayName } from './gateway';

/** What Cauce did with a verified event. */
export type GatewayOutcome = 'delivered' | 'ignored' | 'unknown_invoice' | 'amount_mismatch' | 'already_paid' | 'not_heard';

export interface GatewayEventRow { gateway: GatewayName; event_id: string; type: string; invoice_id: string | null; payment_id: string | null; outcome: GatewayOutcome; instance_id: string | null; received_at: Date }

export function createGatewayEventStore(db: Knex) {
  return {
    async find(gateway: GatewayName, eventId: string): Promise<GatewayEventRow | undefined> {
      return db('gateway_events').where({ gateway, event_id: eventId }).first();
    },
    /** false when another delivery of the event was recorded first. */
    async record(gateway: GatewayName, event: GatewayEvent, outcome: GatewayOutcome, invoiceId: string | null, instanceId: string | null): Promise<boolean> {
      const rows = await db('gateway_events')
        .insert({ gateway, event_id: event.eventId, type: event.type, invoice_id: invoiceId, payment_id: event.kind === 'ignored' ? null : event.paymentId, outcome, instance_id: instanceId, event: JSON.stringify(event) })
        .onConflict(['gateway', 'event_id']).ignore()
        .returning('event_id');
      return rows.length === 1;
    },
    async forInvoice(invoiceId: string): Promise<GatewayEventRow[]> {
      return db('gateway_events').where({ invoice_id: invoiceId }).orderBy('received_at');
    },
  };
}
