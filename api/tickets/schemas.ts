/** Seed 001's support tickets: staff's /api/tickets and the customer's /api/portal/tickets. */
import type { FromSchema } from 'json-schema-to-ts';
import { MAX_TICKET_MESSAGE, TICKET_STATUSES } from '../../domain/tickets';
import { dateTime, limit, nullableDateTime, offset, page, shortText, uuid } from '../shared-schemas';

const message = { type: 'string', minLength: 1, maxLength: MAX_TICKET_MESSAGE } as const;

export const OpenTicketBody = {
  $id: 'OpenTicketBody',
  type: 'object',
  required: ['customerId', 'subject', 'body'],
  additionalProperties: false,
  properties: { customerId: { ...uuid, description: 'The customer (seed 001) the ticket is for.' }, subject: shortText, body: message },
} as const;
export type OpenTicketBody = FromSchema<typeof OpenTicketBody>;

export const PortalTicketBody = {
  $id: 'PortalTicketBody',
  type: 'object',
  required: ['subject', 'body'],
  additionalProperties: false,
  properties: { subject: shortText, body: message },
} as const;
export type PortalTicketBody = FromSchema<typeof PortalTicketBody>;

export const TicketReplyBody = {
  $id: 'TicketReplyBody',
  type: 'object',
  required: ['body'],
  additionalProperties: false,
  properties: { body: message },
} as const;

export const ListTicketsQuery = {
  $id: 'ListTicketsQuery',
  type: 'object',
  additionalProperties: false,
  properties: { customerId: uuid, processId: { type: 'string', minLength: 1, maxLength: 300, description: 'The support-ticket process that works it: its ticket.' }, status: { enum: TICKET_STATUSES }, limit, offset },
} as const;
export type ListTicketsQuery = FromSchema<typeof ListTicketsQuery>;

const ticketMessage = {
  type: 'object',
  required: ['authorKind', 'author', 'body', 'at'],
  properties: { authorKind: { enum: ['customer', 'staff'] }, author: { type: 'string' }, body: { type: 'string' }, at: dateTime },
} as const;

const ticket = {
  type: 'object',
  required: ['id', 'number', 'customerId', 'subject', 'status', 'openedVia', 'createdAt', 'firstResponseAt', 'closedAt', 'processId'],
  properties: {
    id: uuid,
    number: { type: 'integer' },
    customerId: uuid,
    subject: { type: 'string' },
    status: { enum: TICKET_STATUSES },
    openedVia: { enum: ['portal', 'staff'] },
    createdAt: dateTime,
    firstResponseAt: { ...nullableDateTime, description: "Support's first reply." },
    closedAt: nullableDateTime,
    closeReason: { type: ['string', 'null'] },
    processId: { type: 'string', description: 'The support-ticket process that works it.' },
  },
} as const;

export const Ticket = { $id: 'Ticket', ...ticket, properties: { ...ticket.properties, messages: { type: 'array', items: ticketMessage, description: 'Oldest first.' } } } as const;
export const TicketList = { $id: 'TicketList', ...page(ticket) } as const;

export const TicketOpened = {
  $id: 'TicketOpened',
  type: 'object',
  required: ['ticketId', 'processId'],
  properties: { ticketId: uuid, processId: { type: 'string' } },
} as const;

export const TicketReplyReceived = {
  $id: 'TicketReplyReceived',
  type: 'object',
  required: ['received', 'ticketId'],
  properties: { received: { const: true }, ticketId: uuid },
} as const;

export const ticketsSchemas = [OpenTicketBody, PortalTicketBody, TicketReplyBody, ListTicketsQuery, Ticket, TicketList, TicketOpened, TicketReplyReceived] as const;
