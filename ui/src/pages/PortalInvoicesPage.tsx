/**
 * The client portal's home (seed 001): `/portal`. The customer signs in with the e-mail and password
 * set through the welcome e-mail (a portal session, kept in this tab only: sessionStorage) and sees
 * their invoices, the first one and the monthly renewals, each with its PDF and, while unpaid, a link
 * to pay it at the payment gateway; the estimate they accepted and the contracts they signed, as PDFs;
 * and their support tickets (PortalTickets).
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, asApiError, type ApiError } from '../api/client';
import type { PortalDocuments, PortalInvoice, PortalSession } from '../api/types';
import { ErrorMessage, Loading } from '../components/States';
import { usePageTitle } from '../hooks/usePageTitle';
import { localMoney } from '../../../domain/money';
import { PortalTickets } from './PortalTickets';

const SESSION_KEY = 'cauce.portal-session';
const STATUS: Record<PortalInvoice['status'], string> = { issued: 'Issued', sent: 'Sent', paid: 'Paid', overdue: 'Overdue', void: 'Void' };
const money = (minor: number, currency: string) => localMoney(minor, currency, 'es-CO');
const day = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString('es-CO', { dateStyle: 'medium' }) : '');

function storedSession(): PortalSession | null {
  try {
    const session = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as PortalSession | null;
    return session && Date.parse(session.expiresAt) > Date.now() ? session : null;
  } catch {
    return null;
  }
}

export function PortalInvoicesPage() {
  const [session, setSession] = useState<PortalSession | null>(storedSession);
  usePageTitle(session ? 'Your invoices' : 'Client portal');
  const signedIn = (s: PortalSession | null) => {
    if (s) sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
    else sessionStorage.removeItem(SESSION_KEY);
    setSession(s);
  };
  return <main className="link-page">{session ? <Invoices session={session} onSignOut={() => signedIn(null)} /> : <SignIn onSignedIn={signedIn} />}</main>;
}

function SignIn({ onSignedIn }: { onSignedIn: (s: PortalSession) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await api.portalLogin(email, password));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article>
      <h1>Client portal</h1>
      <form onSubmit={(e) => void submit(e)}>
        {error && <ErrorMessage error={error} title="You are not signed in" />}
        <label>
          E-mail
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Password
          <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <div className="button-row">
          <button type="submit" className="primary" disabled={busy}>
            Sign in
          </button>
        </div>
      </form>
    </article>
  );
}

function Invoices({ session, onSignOut }: { session: PortalSession; onSignOut: () => void }) {
  const [invoices, setInvoices] = useState<PortalInvoice[]>();
  const [error, setError] = useState<ApiError>();
  const load = useCallback(() => {
    api.portalInvoices(session.token).then(
      (r) => setInvoices(r.items),
      (err) => {
        const e = asApiError(err);
        // The session ended (expired, or signed out elsewhere): back to sign-in.
        if (e.status === 401) onSignOut();
        else setError(e);
      },
    );
  }, [session.token, onSignOut]);
  useEffect(load, [load]);

  async function signOut() {
    await api.portalLogout(session.token).catch(() => undefined);
    onSignOut();
  }

  return (
    <article>
      <h1>Your invoices</h1>
      <p>
        {session.customer.companyName ?? session.customer.name} · {session.customer.email}{' '}
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </p>
      {error && <ErrorMessage error={error} title="Your invoices could not be loaded" />}
      {!invoices && !error && <Loading what="your invoices" />}
      {invoices && invoices.length === 0 && <p className="notice">You have no invoices yet.</p>}
      {invoices && invoices.length > 0 && (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">Invoice</th>
              <th scope="col">Issued</th>
              <th scope="col">Amount</th>
              <th scope="col">Status</th>
              <th scope="col" aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {invoices.map((i) => (
              <tr key={i.id}>
                <td>
                  N° {i.number} <small>{i.description}</small>
                </td>
                <td>{day(i.issuedAt)}</td>
                <td>{money(i.amountMinor, i.currency)}</td>
                <td>
                  {STATUS[i.status]}
                  {i.status === 'paid' && i.paidAt ? ` ${day(i.paidAt)}` : ''}
                  {i.dueAt && i.status !== 'paid' ? ` · due ${day(i.dueAt)}` : ''}
                </td>
                <td className="actions">
                  <button type="button" onClick={() => void api.downloadPortalInvoice(session.token, i.id, i.number).catch((err) => setError(asApiError(err)))}>
                    PDF
                  </button>
                  {i.paymentUrl && (
                    <a className="button primary" href={i.paymentUrl} rel="noopener noreferrer">
                      Pay online
                    </a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <PortalDocumentsSection token={session.token} onError={setError} />
      <PortalTickets token={session.token} />
    </article>
  );
}

function PortalDocumentsSection({ token, onError }: { token: string; onError: (error: ApiError) => void }) {
  const [documents, setDocuments] = useState<PortalDocuments>();
  useEffect(() => {
    api.portalDocuments(token).then(setDocuments, (err) => onError(asApiError(err)));
  }, [token, onError]);
  if (!documents || (!documents.estimate && documents.contracts.length === 0)) return null;
  const { estimate, contracts } = documents;
  const failed = (err: unknown) => onError(asApiError(err));
  return (
    <section aria-labelledby="documents-heading">
      <h2 id="documents-heading">Your documents</h2>
      <ul className="portal-documents">
        {estimate && (
          <li>
            Estimate, version {estimate.version}: {money(estimate.totalMinor, estimate.currency)}{' '}
            <button type="button" onClick={() => void api.downloadPortalEstimate(token, estimate.id, estimate.version).catch(failed)}>
              PDF
            </button>
          </li>
        )}
        {contracts.map((c) => (
          <li key={c.id}>
            {c.title}, signed {day(c.signedAt)}{' '}
            <button type="button" onClick={() => void api.downloadPortalContract(token, c.id).catch(failed)}>
              PDF
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
