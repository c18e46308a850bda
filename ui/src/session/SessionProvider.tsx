/**
 * The signed-in user for the whole app. A 401 from any call (expired or revoked token) signs the
 * user out; RequireSession then sends them to sign-in with the page they were on, so they come back
 * to it (and to its draft) after signing in again.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { api, setSessionExpiredHandler, setToken } from '../api/client';
import type { LoginResponse, User } from '../api/types';
import { loadSession, saveSession, SESSION_KEY } from './storage';

interface SessionValue {
  user: User | null;
  /** The last session ended by a 401 rather than by signing out. */
  expired: boolean;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

/** `/signin?next=…&expired=1`: where sign-in returns to, and why the user is there. */
function signInPath(next: string, expired = false): string {
  const params = new URLSearchParams({ next });
  if (expired) params.set('expired', '1');
  return `/signin?${params.toString()}`;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<LoginResponse | null>(() => {
    const stored = loadSession();
    setToken(stored?.token ?? null);
    return stored;
  });
  const [expired, setExpired] = useState(false);
  const navigate = useNavigate();

  const forget = useCallback(() => {
    setToken(null);
    saveSession(null);
    setSession(null);
  }, []);

  // Signing out here is enough: RequireSession then sends the user to sign-in, saying why.
  useEffect(() => {
    setSessionExpiredHandler(() => {
      setExpired(true);
      forget();
    });
    return () => setSessionExpiredHandler(null);
  }, [forget]);

  // Another tab signing in or out changes localStorage; follow it.
  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key !== SESSION_KEY) return;
      const stored = loadSession();
      setToken(stored?.token ?? null);
      setSession(stored);
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  const value = useMemo<SessionValue>(
    () => ({
      user: session?.user ?? null,
      expired,
      async signIn(username, password) {
        const result = await api.login(username, password);
        setExpired(false);
        setToken(result.token);
        saveSession(result);
        setSession(result);
      },
      async signOut() {
        try {
          await api.logout();
        } catch {
          // Already expired or the server is down: signing out locally is what matters.
        }
        forget();
        navigate('/signin', { replace: true });
      },
    }),
    [session, expired, forget, navigate],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** Pages behind sign-in: without a session, go to sign-in and come back here afterwards. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { user, expired } = useSession();
  const location = useLocation();
  if (!user) return <Navigate to={signInPath(location.pathname + location.search, expired)} replace />;
  return <>{children}</>;
}
