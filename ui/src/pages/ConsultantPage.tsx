/**
 * A consultant's page (seed 003): who they are, their state and its history, the registrations that
 * made them (case and channel), their documents, agreements (pending and accepted) and network; back
 * office inactivates or reactivates them with a reason, and a leader reactivates their own network.
 */
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, asApiError, type ApiError } from '../api/client';
import type { ConsultantDetail } from '../api/types';
import { Badge } from '../components/Badge';
import { ErrorMessage, ResourceGate } from '../components/States';
import { DateTime } from '../components/Time';
import { usePageTitle } from '../hooks/usePageTitle';
import { useResource } from '../hooks/useResource';
import { holdsFeature } from '../session/features';
import { useSession } from '../session/SessionProvider';
import { localMoney } from '../../../domain/money';

export function ConsultantPage() {
  const { id = '' } = useParams();
  const consultant = useResource(() => api.consultant(id), [id]);
  const agreements = useResource(() => api.consultantAgreements(id), [id]);
  usePageTitle(consultant.data?.name ?? 'Consultant');
  return (
    <section>
      <p className="breadcrumbs">
        <Link to="/consultants">Consultants</Link> › {consultant.data?.name ?? '…'}
      </p>
      <ResourceGate resource={consultant} what="the consultant" failed="The consultant could not be loaded" notFound="No such consultant, or not in your network" stale="record">
        {(c) => (
          <div className="columns">
            <div className="column-main">
              <header className="card">
                <h1>{c.name}</h1>
                <dl className="facts">
                  <div><dt>State</dt><dd><Badge value={c.status} /> {c.kind === 'customer' && <span className="muted">customer</span>}</dd></div>
                  <div><dt>Document</dt><dd>{c.country} {c.documentType} {c.documentNumber}</dd></div>
                  <div><dt>E-mail</dt><dd>{c.email}</dd></div>
                  <div><dt>Zone</dt><dd>{c.zone}</dd></div>
                  <div><dt>Rank</dt><dd>{c.rank ?? <span className="muted">—</span>}</dd></div>
                  <div><dt>Credit limit</dt><dd>{localMoney(Math.round(c.creditLimit * 100), 'COP', 'es-CO')}</dd></div>
                  <div><dt>Sponsor</dt><dd>{c.sponsorId ? <Link to={`/consultants/${c.sponsorId}`}>their sponsor</Link> : <span className="muted">none</span>}</dd></div>
                  <div><dt>Registered</dt><dd><DateTime at={c.registeredAt} /></dd></div>
                </dl>
              </header>
              <StateCard consultant={c} onChanged={() => void consultant.reload()} />
              <section className="card" aria-label="Registrations">
                <h2>Registrations</h2>
                <ul className="records">
                  {c.registrations.map((r, i) => (
                    <li key={i}>
                      {r.case} <span className="muted small">as {r.registerAs}, {r.channel} ({r.formType} form), <DateTime at={r.at} /></span>
                    </li>
                  ))}
                </ul>
              </section>
            </div>
            <aside className="column-side">
              <section className="card" aria-label="Agreements">
                <h2>Agreements</h2>
                {agreements.error && <ErrorMessage error={agreements.error} title="The agreements could not be loaded" />}
                {agreements.data && agreements.data.pending.length > 0 && (
                  <p>
                    Pending: {agreements.data.pending.map((a) => `${a.title} (v${a.version})`).join(', ')}
                  </p>
                )}
                <ul className="records">
                  {agreements.data?.accepted.map((a) => (
                    <li key={a.agreementId}>
                      {a.code} v{a.version} <span className="muted small">accepted at {a.page}, <DateTime at={a.acceptedAt} />{a.active ? '' : ' (no longer in force)'}</span>
                    </li>
                  ))}
                </ul>
              </section>
              <section className="card" aria-label="Network">
                <h2>Network</h2>
                {Object.keys(c.network).length === 0 ? (
                  <p className="muted">Sponsors nobody yet.</p>
                ) : (
                  <ul className="records">
                    {Object.entries(c.network).map(([status, n]) => (
                      <li key={status}>
                        <Link to={`/consultants?status=${status}`}>{n} {status}</Link>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              {c.documents.length > 0 && (
                <section className="card" aria-label="Documents">
                  <h2>Documents</h2>
                  <ul className="records">
                    {c.documents.map((d, i) => (
                      <li key={i}>{d.url ? <a href={d.url} rel="noopener noreferrer">{d.type ?? 'document'}</a> : d.type}</li>
                    ))}
                  </ul>
                </section>
              )}
            </aside>
          </div>
        )}
      </ResourceGate>
    </section>
  );
}

/** The state widget: where they are, every change with its reason, and the change the viewer may make. */
function StateCard({ consultant: c, onChanged }: { consultant: ConsultantDetail; onChanged: () => void }) {
  const { user } = useSession();
  const change = c.kind !== 'consultant' ? null : c.status === 'active' && holdsFeature(user, 'inactivateConsultants') ? 'inactivation' : c.status === 'inactive' && holdsFeature(user, 'reactivateConsultants') ? 'reactivation' : null;
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!change) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.changeConsultantStatus(c.id, change, reason);
      setReason('');
      onChanged();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="card" aria-label="State">
      <h2>
        State: <Badge value={c.status} />
      </h2>
      <ol className="stages">
        {c.stateHistory.map((h, i) => (
          <li key={i}>
            {h.from} → {h.to} {h.reason && <span>— {h.reason}</span>} <span className="muted small"><DateTime at={h.at} /></span>
          </li>
        ))}
      </ol>
      {change && (
        <form onSubmit={(e) => void submit(e)} aria-label={change === 'inactivation' ? 'Inactivate' : 'Reactivate'}>
          {error && <ErrorMessage error={error} title="The state was not changed" />}
          <label>
            Reason
            <input required maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <div className="button-row">
            <button type="submit" className="primary" disabled={busy || !reason.trim()}>
              {change === 'inactivation' ? 'Inactivate' : 'Reactivate'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
