/**
 * The client's portal page for an estimate, opened from its e-mail: `/portal/estimate#<token>`. As for
 * task links, the token stays in the URL fragment and only reaches the public API. The client reads the
 * estimate and accepts or declines it; a used, replaced or expired link, or a version revised since,
 * shows a page that says so and offers nothing else.
 */
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { ClientEstimate } from '../api/types';
import { ErrorMessage, Loading } from '../components/States';
import { useLinkRefusal } from '../hooks/useLinkRefusal';
import { usePageTitle } from '../hooks/usePageTitle';
import { localMoney } from '../../../domain/money';

const DEAD: Record<string, string> = {
  link_used: 'This estimate was already answered through this link. Thank you.',
  link_revoked: 'This link was replaced by a newer one: open the latest e-mail, or ask your salesperson.',
  link_expired: 'This link has expired. Ask your salesperson for a new one.',
  estimate_superseded: 'This estimate was revised: a newer version replaces it, and it will reach you by e-mail.',
  not_heard: 'This estimate can no longer be answered here: the proposal was closed. Ask your salesperson for a new one.',
  not_found: 'This link is not valid. Check that you opened the whole address from the e-mail.',
};

const money = (minor: number, currency: string) => localMoney(minor, currency, 'es-CO');

export function PortalEstimatePage() {
  const token = window.location.hash.slice(1);
  const [estimate, setEstimate] = useState<ClientEstimate>();
  const { dead, setDead, error, setError, refused } = useLinkRefusal(DEAD);
  const [busy, setBusy] = useState(false);
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  usePageTitle(estimate ? `Estimate version ${estimate.version}` : 'Estimate');

  useEffect(() => {
    if (!token) return setDead('not_found');
    api.clientEstimate(token).then((e) => (e.status === 'superseded' ? setDead('estimate_superseded') : setEstimate(e)), refused);
  }, [token]);

  async function answer(action: 'accept' | 'decline') {
    setBusy(true);
    setError(undefined);
    try {
      setEstimate(await api.answerEstimate(token, action, action === 'decline' ? reason.trim() || undefined : undefined));
    } catch (err) {
      refused(err);
    } finally {
      setBusy(false);
    }
  }

  let body;
  if (dead) body = <p className="notice" role="alert" data-code={dead}>{DEAD[dead]}</p>;
  else if (!estimate) body = error ? <ErrorMessage error={error} title="The estimate could not be loaded" /> : <Loading what="the estimate" />;
  else
    body = (
      <article className="card" aria-labelledby="estimate-title">
        <h1 id="estimate-title">
          Estimate for {estimate.customer.name} (version {estimate.version})
        </h1>
        <table>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Quantity</th>
              <th scope="col">Discount</th>
              <th scope="col">Tax</th>
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {estimate.lines.map((l, i) => (
              <tr key={i}>
                <td>{l.description}</td>
                <td>{l.quantity}</td>
                <td>{l.discountBp ? `${l.discountBp / 100} %` : '-'}</td>
                <td>{money(l.taxMinor, estimate.currency)}</td>
                <td>{money(l.totalMinor, estimate.currency)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={4}>
                Total
              </th>
              <td>{money(estimate.totals.totalMinor, estimate.currency)}</td>
            </tr>
          </tfoot>
        </table>
        <p>
          <a href={`/api/public/estimates/${encodeURIComponent(token)}/pdf`} target="_blank" rel="noreferrer noopener">
            The estimate as a PDF
          </a>
        </p>
        {estimate.status === 'sent' ? (
          <>
            {error && <ErrorMessage error={error} title="Your answer was not recorded" />}
            {declining && (
              <label>
                Why are you declining? (optional)
                <textarea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />
              </label>
            )}
            <div className="button-row">
              <button type="button" className="primary" disabled={busy} onClick={() => void answer('accept')}>
                Accept the estimate
              </button>
              <button type="button" disabled={busy} onClick={() => (declining ? void answer('decline') : setDeclining(true))}>
                {declining ? 'Send my answer: decline' : 'Decline'}
              </button>
            </div>
          </>
        ) : (
          <p className="notice" role="status">
            {estimate.status === 'accepted' ? 'You accepted this estimate. Thank you: we will be in touch.' : estimate.status === 'declined' ? 'You declined this estimate.' : `This estimate is ${estimate.status}.`}
          </p>
        )}
      </article>
    );
  return <main className="link-page">{body}</main>;
}
