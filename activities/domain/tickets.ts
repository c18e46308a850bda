/**
 * Seed 001's support tickets: the support-ticket process opens its ticket, records each reply (the
 * support agent's from the task, the customer's from the portal message) and closes it, every write
 * once per step (lib/tickets.ts).
 */
import type { Knex } from 'knex';
import { MAX_TICKET_MESSAGE } from '../../domain/tickets';
import { createCustomerStore } from '../../lib/customers';
import { createTicketStore, type TicketRow } from '../../lib/tickets';
import type { ProcessActivity } from '../context';
import { invalid, iso, notFound, requireEnum, requireString, requireUuid, type Input } from './support';

function requireMessage(input: Input, field: string): string {
  const body = requireString(input, field);
  if (body.length > MAX_TICKET_MESSAGE) throw invalid(field, `must be at most ${MAX_TICKET_MESSAGE} characters (got ${body.length})`);
  return body;
}

const present = (t: TicketRow) => ({ ticketId: t.id, number: t.number, status: t.status, firstResponseAt: iso(t.first_response_at), closedAt: iso(t.closed_at) });

export function createTicketActivities({ db }: { db: Knex }): Record<string, ProcessActivity> {
  const tickets = createTicketStore(db);
  const customers = createCustomerStore(db);
  return {
    async 'tickets.open'(input, ctx) {
      const customerId = requireUuid(input, 'customerId');
      const customer = await customers.byId(customerId);
      if (!customer) throw notFound('customer', customerId);
      const ticket = await tickets.open({
        id: requireUuid(input, 'ticketId'), customerId, subject: requireString(input, 'subject'), body: requireMessage(input, 'body'),
        openedVia: requireEnum(input, 'openedVia', ['portal', 'staff'] as const), openedBy: requireString(input, 'openedBy'), processId: ctx.instanceId, key: ctx.key,
      });
      return { ...present(ticket), customerName: customer.company_name ?? customer.name, customerEmail: customer.email };
    },

    async 'tickets.reply'(input, ctx) {
      const ticketId = requireUuid(input, 'ticketId');
      if (!(await tickets.get(ticketId))) throw notFound('ticket', ticketId);
      const message = await tickets.reply({ ticketId, authorKind: requireEnum(input, 'authorKind', ['customer', 'staff'] as const), author: requireString(input, 'author'), body: requireMessage(input, 'body'), key: ctx.key });
      return { messageId: message.id, at: iso(message.created_at), ...present((await tickets.get(ticketId))!) };
    },

    async 'tickets.close'(input) {
      const ticketId = requireUuid(input, 'ticketId');
      const ticket = await tickets.close(ticketId, requireString(input, 'reason'));
      if (!ticket) throw notFound('ticket', ticketId);
      return present(ticket);
    },
  };
}
