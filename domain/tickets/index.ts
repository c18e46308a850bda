/**
 * Seed 001's support tickets: the process that works one (definitions/support-ticket.yaml), the
 * message a customer's reply from the portal is sent as, and the ticket's states.
 */
export const SUPPORT_TICKET = 'support-ticket';

/** A customer's reply (POST /api/portal/tickets/:id/replies), heard by the ticket's process. */
export const TICKET_CUSTOMER_REPLIED = 'ticket.customerReplied';

export const TICKET_STATUSES = ['open', 'waiting-customer', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** The most a message may say; the same bound in the API, the forms and the activity. */
export const MAX_TICKET_MESSAGE = 5000;
