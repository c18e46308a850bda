/**
 * Operators' "Sent mail": what the embedded SMTP sink received (GET /api/mail), newest first, and one
 * message with its text (and its HTML part in a sandboxed frame, which runs nothing). A redelivered
 * outbox row shows up twice with the same Message-ID.
 */
import type { ReactNode } from 'react';
import { formatBytes } from '../lib/documents';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { Empty, ResourceGate } from '../components/States';
import { usePageTitle } from '../hooks/usePageTitle';
import { useResource } from '../hooks/useResource';

const REFRESH_MS = 5_000;

export function SentMailPage() {
  usePageTitle('Sent mail');
  const { id } = useParams();
  const list = useResource(() => api.mail(), [], REFRESH_MS);
  return (
    <section>
      <h1>Sent mail</h1>
      <p className="muted">Messages the local SMTP sink received (npm start without SMTP_URL). With a real relay they go out instead, and none show here.</p>
      {id && <MailView id={id} />}
      <ResourceGate resource={list} what="messages" failed="The messages could not be loaded" stale="list">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No message received yet.</Empty>
          ) : (
            <table className="list" aria-label="Received messages">
              <thead>
                <tr>
                  <th scope="col">Received</th>
                  <th scope="col">To</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Template</th>
                  <th scope="col">Message-ID</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((m) => (
                  <tr key={m.id} aria-current={m.id === id ? 'true' : undefined}>
                    <td>{new Date(m.receivedAt).toLocaleString()}</td>
                    <td>{m.to.join(', ')}</td>
                    <td>
                      <Link to={`/mail/${m.id}`}>{m.subject || '(no subject)'}</Link>
                    </td>
                    <td>{m.template ?? ''}</td>
                    <td className="muted">{m.messageId ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </ResourceGate>
    </section>
  );
}

function MailView({ id }: { id: string }) {
  const message = useResource(() => api.mailMessage(id), [id]);
  return (
    <ResourceGate resource={message} what="message" failed="The message could not be loaded" notFound="No such message" stale="message">
      {(m) => (
        <article className="card" aria-labelledby="mail-subject">
          <h2 id="mail-subject">{m.subject || '(no subject)'}</h2>
          <dl className="facts">
            <Fact term="From">{m.from}</Fact>
            <Fact term="To">{m.toHeader ?? m.to.join(', ')}</Fact>
            <Fact term="Message-ID">{m.messageId}</Fact>
            <Fact term="Received">{new Date(m.receivedAt).toLocaleString()}</Fact>
            {m.attachments.length > 0 && (
              <Fact term="Attached">{m.attachments.map((a) => `${a.filename ?? '(no name)'} (${a.contentType}, ${formatBytes(a.size)})`).join(', ')}</Fact>
            )}
          </dl>
          <pre className="mail-text">{m.text}</pre>
          {m.html && <iframe title="HTML part" sandbox="" srcDoc={m.html} className="mail-html" />}
        </article>
      )}
    </ResourceGate>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd className="mail-fact">{children}</dd>
    </div>
  );
}
