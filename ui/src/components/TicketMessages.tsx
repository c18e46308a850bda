/**
 * A support ticket's conversation, oldest first: the portal shows it to the customer ("You", "Support"),
 * the back office to staff (each author by name).
 */
import type { PortalTicket } from '../api/types';

export const ticketTime = (iso: string) => new Date(iso).toLocaleString('es-CO', { dateStyle: 'medium', timeStyle: 'short' });

type Message = NonNullable<PortalTicket['messages']>[number];

export function TicketMessages({ messages, authorOf }: { messages: readonly Message[]; authorOf: (m: Message) => string }) {
  return (
    <>
      {messages.map((m, i) => (
        <p key={i} className={m.authorKind === 'staff' ? 'from-support' : 'from-customer'}>
          <strong>{authorOf(m)}</strong> <small>{ticketTime(m.at)}</small>
          <br />
          {m.body}
        </p>
      ))}
    </>
  );
}
