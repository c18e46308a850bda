/**
 * Sign-in and sessions. Users and the sessions table belong to lib/users.ts (the store); this
 * service adds the API's rules: 12-hour sessions, bearer tokens, generic "bad credentials".
 */
import type { Request } from 'express';
import type { Knex } from 'knex';
import { holdsAny, OPERATOR_ROLE } from '../../workflows/policy';
import { authenticate, createSession, deleteSession, userForToken, type User } from '../../lib/users';
import { forbidden, unauthorized } from '../errors';
import type { SessionUser } from '../types';

const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

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

function bearerToken(req: Request): string | null {
  const header = req.get('authorization');
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}

export function createAuthService(db: Knex) {
  return {
    async login(username: string, password: string) {
      const user = await authenticate(db, username, password);
      // Same answer for an unknown user and a wrong password.
      if (!user) throw unauthorized('Invalid username or password');
      const token = await createSession(db, user.id, SESSION_TTL_MS);
      const expiresAt = new Date(Date.now() + SESSION_TTL_MS).toISOString();
      return { token, user: publicUser(user), expiresAt };
    },

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
