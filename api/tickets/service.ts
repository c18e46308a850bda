/**
 * Seed 001's support tickets. Opening one starts its support-ticket process (the ticket's id is the
 * business key; the process's first step writes the ticket); a customer's reply from the portal is the
 * ticket.customerReplied message to it; staff reply from the inbox task. The API only reads the ticket
 * tables (lib/tickets.ts).
 */
import { randomUUID } from 'node:crypto';
import { SUPPORT_TICKET, TICKET_CUSTOMER_REPLIED } from '../../domain/tickets';
import { createCustomerStore } from '../../lib/customers';
import { createTicketStore, type TicketMessageRow, type TicketRow } from '../../lib/tickets';
import { toIso } from '../../lib/time';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { limiter, tooManyAttempts } from '../auth/login-limits';
import type { AppDeps } from '../deps';
import { conflict, HttpError, notFound } from '../errors';
import type { MessageRouter } from '../messages/router';
import type { ProcessService } from '../processes/service';
import type { SessionUser } from '../types';
import type { ListTicketsQuery, OpenTicketBody, PortalTicketBody } from './schemas';

const present = (t: TicketRow) => ({
  id: t.id, number: t.number, customerId: t.customer_id, subject: t.subject, status: t.status, openedVia: t.opened_via,
  createdAt: toIso(t.created_at)!, firstResponseAt: toIso(t.first_response_at), closedAt: toIso(t.closed_at), closeReason: t.close_reason, processId: t.process_id,
});
const presentMessage = (m: TicketMessageRow) => ({ authorKind: m.author_kind, author: m.author, body: m.body, at: toIso(m.created_at)! });

export function createTicketService(deps: AppDeps, processes: ProcessService, messages: MessageRouter) {
  const tickets = createTicketStore(deps.db);
  const customers = createCustomerStore(deps.db);
  const portalOpenings = limiter(deps.db, 'portal-tickets-customer', deps.config.auth.portalTicketsPerCustomer);

  async function open(user: SessionUser, customerId: string, body: PortalTicketBody, openedVia: 'portal' | 'staff') {
    const ticketId = randomUUID();
    // A customer acts as `customer:<id>`, never their bare e-mail, which a staff username could equal
    // (staff see and act on what they started); the e-mail is the ticket's opener.
    const actor = openedVia === 'portal' ? { ...user, id: `customer:${customerId}`, username: `customer:${customerId}` } : user;
    const variables = { ticketId, customerId, subject: body.subject, body: body.body, openedVia, ...(openedVia === 'portal' ? { openedBy: user.username } : {}) };
    const { opened } = await processes.open(actor, { definitionId: SUPPORT_TICKET, businessKey: ticketId, variables }, { messageId: `ticket:${ticketId}`, actor: actor.username }, { internal: true });
    return { ticketId, processId: opened.instanceId };
  }

  async function withMessages(t: TicketRow) {
    return { ...present(t), messages: (await tickets.messages(t.id)).map(presentMessage) };
  }

  /** The portal customer's own ticket; 404 for any other. */
  async function own(user: SessionUser, id: string): Promise<TicketRow> {
    const t = await tickets.get(id);
    if (!t || t.customer_id !== user.customerId) throw notFound(`ticket ${id} not found`, { id });
    return t;
  }

  return {
    async openForCustomer(user: SessionUser, body: OpenTicketBody) {
      if (!(await customers.byId(body.customerId))) throw notFound(`customer ${body.customerId} not found`, { customerId: body.customerId }, 'unknown_customer');
      return open(user, body.customerId, body, 'staff');
    },

    async list(q: ListTicketsQuery) {
      const { rows, total } = await tickets.list({ customerId: q.customerId, processId: q.processId, status: q.status, limit: q.limit ?? 50, offset: q.offset ?? 0 });
      return { items: rows.map(present), total, limit: q.limit ?? 50, offset: q.offset ?? 0 };
    },

    async get(id: string) {
      const t = await tickets.get(id);
      if (!t) throw notFound(`ticket ${id} not found`, { id });
      return withMessages(t);
    },

    portal: {
      /** Counted against the customer (429 past the limit) before anything is opened. */
      async open(user: SessionUser, body: PortalTicketBody) {
        try {
          await portalOpenings.consume(user.customerId!);
        } catch (err) {
          if (!(err instanceof RateLimiterRes)) throw err;
          throw tooManyAttempts(err.msBeforeNext, 'too_many_tickets', 'Too many support requests opened from this account');
        }
        return open(user, user.customerId!, body, 'portal');
      },

      async list(user: SessionUser) {
        const { rows, total } = await tickets.list({ customerId: user.customerId, limit: 200, offset: 0 });
        return { items: rows.map(present), total, limit: 200, offset: 0 };
      },

      get: async (user: SessionUser, id: string) => withMessages(await own(user, id)),

      /** The customer's reply goes to the ticket's process (answered once it took it), which records it and gives the ticket back to support. */
      /** `key`: the client's Idempotency-Key; the same key again is the same reply, taken once. */
      async reply(user: SessionUser, id: string, body: string, key?: string) {
        const t = await own(user, id);
        const closed = () => conflict('ticket_closed', `Ticket ${t.number} is closed: open a new one from the portal`, { id, number: t.number });
        if (t.status === 'closed') throw closed();
        try {
          await messages.send(
            { id: `customer:${user.customerId}`, username: `customer:${user.customerId}`, roles: [] },
            { name: TICKET_CUSTOMER_REPLIED, businessKey: t.id, messageId: `ticket-reply:${t.id}:${key ?? randomUUID()}`, payload: { body, author: user.username } },
          );
        } catch (err) {
          // Closed between the read and the message (its process ended): nobody hears it.
          if (err instanceof HttpError && err.code === 'not_heard') throw closed();
          throw err;
        }
        // Taken by the process, which records it in a moment.
        return { received: true as const, ticketId: t.id };
      },
    },
  };
}

export type TicketService = ReturnType<typeof createTicketService>;
