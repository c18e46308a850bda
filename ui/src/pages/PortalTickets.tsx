/**
 * The client portal's support section (seed 001): the customer's tickets, a form to open one, and a
 * ticket's conversation with a reply box while it is open. Shown on the portal page under the invoices.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, asApiError, type ApiError } from '../api/client';
import type { PortalTicket } from '../api/types';
import { ErrorMessage } from '../components/States';
import { TicketMessages, ticketTime as when } from '../components/TicketMessages';

const STATUS: Record<PortalTicket['status'], string> = { open: 'With support', 'waiting-customer': 'Waiting for your answer', closed: 'Closed' };

export function PortalTickets({ token }: { token: string }) {
  const [tickets, setTickets] = useState<PortalTicket[]>();
  const [open, setOpen] = useState<PortalTicket>();
  const [error, setError] = useState<ApiError>();
  const refresh = useCallback(() => {
    api.portalTickets(token).then((r) => setTickets(r.items), (err) => setError(asApiError(err)));
  }, [token]);
  useEffect(refresh, [refresh]);
  const show = (id: string) => api.portalTicket(token, id).then(setOpen, (err) => setError(asApiError(err)));

  return (
    <section aria-labelledby="support-heading">
      <h2 id="support-heading">Support</h2>
      {error && <ErrorMessage error={error} title="Support could not be reached" />}
      {tickets && tickets.length > 0 && (
        <ul className="portal-tickets">
          {tickets.map((t) => (
            <li key={t.id}>
              <button type="button" className="link" onClick={() => void show(t.id)}>
                N° {t.number}: {t.subject}
              </button>{' '}
              <small>
                {STATUS[t.status]} · {when(t.createdAt)}
              </small>
            </li>
          ))}
        </ul>
      )}
      {open && <Conversation token={token} ticket={open} onChanged={() => void show(open.id).then(refresh)} />}
      <NewTicket token={token} onOpened={refresh} />
    </section>
  );
}

function Conversation({ token, ticket, onChanged }: { token: string; ticket: PortalTicket; onChanged: () => void }) {
  const [reply, setReply] = useState('');
  const [error, setError] = useState<ApiError>();
  const [sent, setSent] = useState(false);
  // One key per reply written: sending it again after a failure is the same reply.
  const [key, setKey] = useState(() => crypto.randomUUID());
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      await api.replyPortalTicket(token, ticket.id, reply, key);
      setKey(crypto.randomUUID());
      setReply('');
      setSent(true);
      onChanged();
    } catch (err) {
      setError(asApiError(err));
    }
  }
  return (
    <article className="portal-ticket" aria-label={`Ticket ${ticket.number}`}>
      <h3>
        N° {ticket.number}: {ticket.subject}
      </h3>
      <TicketMessages messages={ticket.messages ?? []} authorOf={(m) => (m.authorKind === 'staff' ? 'Support' : 'You')} />
      {sent && <p className="notice" role="status">Your reply was sent to support.</p>}
      {ticket.status !== 'closed' && (
        <form onSubmit={(e) => void submit(e)}>
          {error && <ErrorMessage error={error} title="Your reply was not sent" />}
          <label>
            Your reply
            <textarea required maxLength={5000} value={reply} onChange={(e) => setReply(e.target.value)} />
          </label>
          <div className="button-row">
            <button type="submit" className="primary" disabled={!reply.trim()}>
              Send reply
            </button>
          </div>
        </form>
      )}
    </article>
  );
}

function NewTicket({ token, onOpened }: { token: string; onOpened: () => void }) {
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [opened, setOpened] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.openPortalTicket(token, subject, body);
      setSubject('');
      setBody('');
      setOpened(true);
      onOpened();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Open a support request">
      <h3>Open a support request</h3>
      {opened && <p className="notice" role="status">We received your request: support answers within 8 business hours.</p>}
      {error && <ErrorMessage error={error} title="Your request was not sent" />}
      <label>
        Subject
        <input required maxLength={200} value={subject} onChange={(e) => setSubject(e.target.value)} />
      </label>
      <label>
        What do you need?
        <textarea required maxLength={5000} value={body} onChange={(e) => setBody(e.target.value)} />
      </label>
      <div className="button-row">
        <button type="submit" className="primary" disabled={busy || !subject.trim() || !body.trim()}>
          Send request
        </button>
      </div>
    </form>
  );
}
