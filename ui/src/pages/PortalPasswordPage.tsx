/**
 * A new customer's first visit to the portal (seed 001), from the welcome e-mail:
 * `/portal/password#<token>`. The client sets the password of their portal credentials; the token stays
 * in the URL fragment and works once.
 */
import { useState, type FormEvent } from 'react';
import { api, asApiError, type ApiError } from '../api/client';
import { ErrorMessage } from '../components/States';
import { usePageTitle } from '../hooks/usePageTitle';

const MIN_LENGTH = 10;

export function PortalPasswordPage() {
  const token = window.location.hash.slice(1);
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [email, setEmail] = useState<string>();
  usePageTitle('Set your portal password');

  const mismatch = repeated !== '' && password !== repeated;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setEmail((await api.setPortalPassword(token, password)).email);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="link-page">
      <article>
        <h1>Set your portal password</h1>
        {email ? (
          <p className="notice" role="status">
            Your portal is active. You sign in with {email} and the password you just set.
          </p>
        ) : (
          <form onSubmit={(e) => void submit(e)}>
            {error && <ErrorMessage error={error} title={error.status === 404 ? 'This link does not work any more' : 'Your password was not set'} />}
            <label>
              New password (at least {MIN_LENGTH} characters)
              <input type="password" autoComplete="new-password" minLength={MIN_LENGTH} required value={password} onChange={(e) => setPassword(e.target.value)} />
            </label>
            <label>
              The same password again
              <input type="password" autoComplete="new-password" required value={repeated} onChange={(e) => setRepeated(e.target.value)} aria-invalid={mismatch} />
            </label>
            {mismatch && <p className="field-error">The two passwords differ.</p>}
            <div className="button-row">
              <button type="submit" className="primary" disabled={busy || mismatch || password.length < MIN_LENGTH}>
                Set my password
              </button>
            </div>
          </form>
        )}
      </article>
    </main>
  );
}
