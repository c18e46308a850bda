/**
 * Sign-in and sessions. Users and the sessions table belong to lib/users.ts (the store); this
 * service adds the API's rules: 12-hour sessions, bearer tokens, generic "bad credentials", limits
 * on failed sign-ins (login-limits.ts).
 */
import type { Request } from 'express';
import type { Knex } from 'knex';
import type { CauceConfig } from '../../lib/config';
import { holdsAny, OPERATOR_ROLE } from '../../workflows/policy';
import { authenticate, createSession, deleteSession, purgeExpiredSessions, userForToken, type User } from '../../lib/users';
import { forbidden, HttpError, unauthorized } from '../errors';
import type { SessionUser } from '../types';
import { createGate, GateFullError } from '../../lib/concurrency';
import { createLoginLimits } from './login-limits';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** 403 naming the roles `what` needs unless the user holds one of them (routing.ts checks a route's `{ roles }` with it). */
export function requireAnyRole(user: SessionUser, roles: readonly string[], what: string): void {
  if (!holdsAny(user, roles)) {
    const named = [OPERATOR_ROLE, ...roles.filter((r) => r !== OPERATOR_ROLE)];
    throw forbidden(`${what} requires one of the roles ${named.join(', ')}; you have ${user.roles.join(', ') || 'none'}`, { requiredRoles: named });
  }
}

const toSessionUser = (u: User): SessionUser => ({ id: String(u.id), username: u.username, roles: u.roles, displayName: u.displayName });

/** A user as the API shows it (login response, `GET /api/auth/me`). */
export const publicUser = (u: Pick<SessionUser, 'username' | 'roles' | 'displayName'>) => ({ username: u.username, roles: u.roles, displayName: u.displayName ?? null });

export function bearerToken(req: Request): string | null {
  const header = req.get('authorization');
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}

/**
 * Sign-ins processed at once; the rest wait their turn here. A burst of logins then holds a few of the
 * database pool's connections, not all of them, so every other request (and /healthz) still gets one.
 * Past LOGINS_WAITING in line, a sign-in is told to come back (503) rather than queued without end.
 */
const CONCURRENT_LOGINS = 4;
const LOGINS_WAITING = 500;
const BUSY_RETRY_AFTER_S = 2;

export function createAuthService(db: Knex, config: CauceConfig['auth']) {
  const limits = createLoginLimits(db, config.loginLimits);
  const signingIn = createGate(CONCURRENT_LOGINS, LOGINS_WAITING);

  async function signIn(username: string, password: string, address: string) {
    await limits.attempt(username, address);
    const user = await authenticate(db, username, password);
    // Same answer for an unknown user and a wrong password.
    if (!user) throw unauthorized('Invalid username or password');
    await limits.succeeded(username, address);
    // The user's own expired sessions go now; everyone's go with the periodic purge (housekeeping.ts).
    await purgeExpiredSessions(db, user.id);
    const token = await createSession(db, user.id, SESSION_TTL_MS);
    const expiresAt = new Date(Date.now() + SESSION_TTL_MS).toISOString();
    return { token, user: publicUser(user), expiresAt };
  }

  return {
    /** `address`: the client's (req.ip), for the per-address limits. */
    login: (username: string, password: string, address: string) =>
      signingIn.run(() => signIn(username, password, address)).catch((err: unknown) => {
        if (err instanceof GateFullError) throw new HttpError(503, 'login_busy', 'Too many sign-ins in progress; retry shortly', null, BUSY_RETRY_AFTER_S);
        throw err;
      }),

    async logout(token: string): Promise<void> {
      await deleteSession(db, token);
    },

    /** Resolves the request's bearer token to its user; 401 when missing, unknown or expired. */
    async authenticateRequest(req: Request): Promise<SessionUser> {
      const token = bearerToken(req);
      if (!token) throw unauthorized('Missing bearer token (Authorization: Bearer <token>); sign in with POST /api/auth/login');
      const user = await userForToken(db, token);
      if (!user) throw unauthorized('Invalid or expired token; sign in again');
      req.user = toSessionUser(user);
      req.token = token;
      req.log = req.log?.child({ user: user.username });
      return req.user;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
