import { useState, type FormEvent } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { asApiError, type ApiError } from '../api/client';
import { ErrorMessage } from '../components/States';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSession } from '../session/SessionProvider';

/** Only paths inside the app: `next` comes from the address bar. */
const safeNext = (next: string | null) => (next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/signin') ? next : '/inbox');

export function SignInPage() {
  usePageTitle('Sign in');
  const { user, signIn } = useSession();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const expired = params.get('expired') === '1';
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  if (user) return <Navigate to={next} replace />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(username, password);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  }

  return (
    <main id="main" className="signin">
      <form onSubmit={submit} className="card signin-card" aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Cauce</h1>
        {expired && (
          <p className="notice" role="status">
            Your session has expired. Sign in again to continue where you left off; what you had typed is kept.
          </p>
        )}
        {error && <ErrorMessage error={error} title={error.status === 401 ? 'Wrong username or password' : 'Could not sign in'} />}
        <label htmlFor="username">Username</label>
        <input id="username" name="username" autoComplete="username" required autoFocus value={username} onChange={(e) => setUsername(e.target.value)} />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted small">Demo users and their passwords are printed by `npm start` and kept in .data/dev-users.json.</p>
      </form>
    </main>
  );
}
