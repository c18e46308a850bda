/**
 * What the browser keeps between page loads. The session (token and user) lives in localStorage so
 * that new tabs are signed in too; drafts live in sessionStorage (this tab only) so that what a
 * person typed survives a sign-in in the middle of their work without outliving the tab.
 */
import type { LoginResponse } from '../api/types';

/** localStorage key of the session; other tabs watch it to follow sign-in and sign-out. */
export const SESSION_KEY = 'cauce.session';
const DRAFT_PREFIX = 'cauce.draft.';

export function loadSession(): LoginResponse | null {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    const session = raw ? (JSON.parse(raw) as LoginResponse) : null;
    if (!session?.token || Date.parse(session.expiresAt) <= Date.now()) return null;
    return session;
  } catch {
    return null;
  }
}

export function saveSession(session: LoginResponse | null): void {
  if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else localStorage.removeItem(SESSION_KEY);
}

export function loadDraft<T>(key: string): T | undefined {
  try {
    const raw = sessionStorage.getItem(DRAFT_PREFIX + key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

export function saveDraft(key: string, value: unknown): void {
  try {
    sessionStorage.setItem(DRAFT_PREFIX + key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the draft is a convenience, the form still works.
  }
}

export function clearDraft(key: string): void {
  sessionStorage.removeItem(DRAFT_PREFIX + key);
}
