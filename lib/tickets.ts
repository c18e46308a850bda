/**
 * The ticket store (tables tickets and ticket_messages, migration 033). The support-ticket process's
 * activities write through it, every write once per key; the API reads.
 */
import type { Knex } from 'knex';
import type { TicketStatus } from '../domain/tickets';

export interface TicketRow {
  id: string; number: number; customer_id: string; subject: string; status: TicketStatus; opened_via: 'portal' | 'staff'; opened_by: string;
  process_id: string; created_at: Date; first_response_at: Date | null; closed_at: Date | null; close_reason: string | null;
}

export interface TicketMessageRow { id: string; ticket_id: string; author_kind: 'customer' | 'staff'; author: string; body: string; created_at: Date }

export interface NewTicket { id: string; customerId: string; subject: string; openedVia: 'portal' | 'staff'; openedBy: string; processId: string; body: string; key: string }

export interface TicketFilter { customerId?: string; processId?: string; status?: TicketStatus; limit: number; offset: number }

export function createTicketStore(db: Knex) {
  return {
    /** The ticket and its first message, once: a retry gets the row the first attempt wrote. */
    async open(t: NewTicket): Promise<TicketRow> {
      return db.transaction(async (trx) => {
        const [created] = (await trx('tickets')
          .insert({ id: t.id, customer_id: t.customerId, subject: t.subject, opened_via: t.openedVia, opened_by: t.openedBy, process_id: t.processId })
          .onConflict('id').ignore()
          .returning('*')) as TicketRow[];
        if (!created) return (await trx('tickets').where({ id: t.id }).first()) as TicketRow;
        await trx('ticket_messages').insert({ ticket_id: t.id, author_kind: t.openedVia === 'portal' ? 'customer' : 'staff', author: t.openedBy, body: t.body, idempotency_key: `${t.key}:message` });
        return created;
      });
    },

    /**
     * A message on the ticket, once per key, and the ticket's status after it: a staff reply waits for
     * the customer (and is the first response, the first time), a customer's reply reopens it.
     */
    async reply(m: { ticketId: string; authorKind: 'customer' | 'staff'; author: string; body: string; key: string }): Promise<TicketMessageRow> {
      return db.transaction(async (trx) => {
        const [created] = (await trx('ticket_messages')
          .insert({ ticket_id: m.ticketId, author_kind: m.authorKind, author: m.author, body: m.body, idempotency_key: m.key })
          .onConflict('idempotency_key').ignore()
          .returning('*')) as TicketMessageRow[];
        if (!created) return (await trx('ticket_messages').where({ idempotency_key: m.key }).first()) as TicketMessageRow;
        const status: TicketStatus = m.authorKind === 'staff' ? 'waiting-customer' : 'open';
        await trx('tickets').where({ id: m.ticketId }).whereNot({ status: 'closed' }).update({ status });
        if (m.authorKind === 'staff') await trx('tickets').where({ id: m.ticketId }).whereNull('first_response_at').update({ first_response_at: created.created_at });
        return created;
      });
    },

    /** Closed, with why; a ticket closed before keeps its first close. */
    async close(id: string, reason: string): Promise<TicketRow | undefined> {
      await db('tickets').where({ id }).whereNot({ status: 'closed' }).update({ status: 'closed', closed_at: db.fn.now(), close_reason: reason });
      return db('tickets').where({ id }).first();
    },

    async get(id: string): Promise<TicketRow | undefined> {
      return db('tickets').where({ id }).first();
    },

    async messages(ticketId: string): Promise<TicketMessageRow[]> {
      return db('ticket_messages').where({ ticket_id: ticketId }).orderBy('created_at').orderBy('id');
    },

    async list(f: TicketFilter): Promise<{ rows: TicketRow[]; total: number }> {
      const q = db('tickets');
      if (f.customerId) q.where({ customer_id: f.customerId });
      if (f.processId) q.where({ process_id: f.processId });
      if (f.status) q.where({ status: f.status });
      const [{ count }] = await q.clone().count<{ count: string }[]>('* as count');
      const rows = (await q.orderBy('created_at', 'desc').orderBy('number', 'desc').limit(f.limit).offset(f.offset)) as TicketRow[];
      return { rows, total: Number(count) };
    },
  };
}
