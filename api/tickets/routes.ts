import { FEATURE_ROLES } from '../../workflows/policy';
import { optionalIdempotencyKey } from '../payments/deliveries';
import { defineRoute, type RouteDef } from '../routing';
import { errorReply, UuidParams } from '../shared-schemas';
import { ListTicketsQuery, OpenTicketBody, PortalTicketBody, Ticket, TicketList, TicketOpened, TicketReplyBody, TicketReplyReceived } from './schemas';
import type { TicketService } from './service';

export function ticketRoutes(tickets: TicketService): RouteDef[] {
  const opened = { 202: { description: "Opened: its process acknowledged it to the customer and put it in support's inbox", schema: TicketOpened } };
  return [
    defineRoute({
      method: 'post',
      path: '/api/tickets',
      summary: "Open a support ticket for a customer (seed 001): its support-ticket process gives it to support, with an SLA of 8 business hours",
      tag: 'tickets',
      auth: { roles: FEATURE_ROLES.tickets },
      body: OpenTicketBody,
      responses: { ...opened, 404: errorReply('No such customer (`unknown_customer`)') },
      handler: ({ user, body }) => tickets.openForCustomer(user, body),
    }),
    defineRoute({
      method: 'get',
      path: '/api/tickets',
      summary: "Support tickets, newest first; by customer (the customer's history), process and status",
      tag: 'tickets',
      auth: { roles: FEATURE_ROLES.tickets },
      query: ListTicketsQuery,
      responses: { 200: { description: 'A page of tickets', schema: TicketList } },
      handler: ({ query }) => tickets.list(query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/tickets/:id',
      summary: 'A ticket with its messages from both sides',
      tag: 'tickets',
      auth: { roles: FEATURE_ROLES.tickets, outsiders: 'notFound' },
      params: UuidParams,
      responses: { 200: { description: 'The ticket', schema: Ticket }, 404: errorReply('No such ticket') },
      handler: ({ params }) => tickets.get(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/portal/tickets',
      summary: 'The signed-in customer opens a support ticket',
      tag: 'portal',
      auth: 'portal',
      body: PortalTicketBody,
      responses: { ...opened, 429: errorReply('Too many support requests opened from this account (`too_many_tickets`, config auth.portalTicketsPerCustomer); Retry-After says when to try again') },
      handler: ({ user, body }) => tickets.portal.open(user, body),
    }),
    defineRoute({
      method: 'get',
      path: '/api/portal/tickets',
      summary: "The signed-in customer's tickets, newest first",
      tag: 'portal',
      auth: 'portal',
      responses: { 200: { description: 'Their tickets', schema: TicketList } },
      handler: ({ user }) => tickets.portal.list(user),
    }),
    defineRoute({
      method: 'get',
      path: '/api/portal/tickets/:id',
      summary: "One of the signed-in customer's tickets, with its messages",
      tag: 'portal',
      auth: 'portal',
      params: UuidParams,
      responses: { 200: { description: 'The ticket', schema: Ticket }, 404: errorReply("Not a ticket of this customer's") },
      handler: ({ user, params }) => tickets.portal.get(user, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/portal/tickets/:id/replies',
      summary: "The customer replies on their ticket: it goes to the ticket's process, which gives it back to support",
      tag: 'portal',
      auth: 'portal',
      params: UuidParams,
      body: TicketReplyBody,
      headers: [{ name: 'Idempotency-Key', description: 'Optional, 1-200 letters, digits, ._:-: a retry with the same key is the same reply, recorded once' }],
      responses: {
        202: { description: "The ticket's process took the reply: it appears on the ticket, which goes back to support", schema: TicketReplyReceived },
        404: errorReply("Not a ticket of this customer's"),
        409: errorReply('The ticket is closed (`ticket_closed`): open a new one'),
      },
      handler: ({ user, params, body, req }) => tickets.portal.reply(user, params.id, body.body, optionalIdempotencyKey(req.get('idempotency-key'))),
    }),
  ];
}
