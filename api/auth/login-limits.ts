/**
 * Failed sign-ins, limited per username+address and per address (config `auth.loginLimits`). The
 * counters live in Postgres (`login_failures`, rate-limiter-flexible's store), so every API instance
 * shares them and a restart does not forgive anyone.
 *
 * Each attempt takes a point *before* the password is checked: counting only after a failure would
 * let a burst of parallel guesses all pass the check first. A success gives the points back (it
 * clears the username+address count, so the limit is on consecutive failures there).
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { CauceConfig, LoginLimit } from '../../lib/config';
import { HttpError } from '../errors';

export const LOGIN_FAILURES_TABLE = 'login_failures';

/** The client's address a per-address limit counts (req.ip, which follows `http.trustProxyHops`). */
export const clientAddress = (req: { ip?: string; socket: { remoteAddress?: string } }) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** Keys are hashed: the table never holds usernames or addresses in clear, and always fits its column. */
export const digest = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex');

/** One attempt counter in the shared table; `keyPrefix` keeps each kind of attempt apart (sign-ins, task links). */
export function limiter(db: Knex, keyPrefix: string, limit: LoginLimit): RateLimiterPostgres {
  return new RateLimiterPostgres({
    storeClient: db,
    storeType: 'knex',
    tableName: LOGIN_FAILURES_TABLE,
    tableCreated: true, // by db/migrations/005_login_failures.ts
    clearExpiredByTimeout: false, // api/auth/housekeeping.ts purges expired rows
    keyPrefix,
    points: limit.failures,
    duration: limit.windowSeconds,
    blockDuration: limit.blockSeconds,
  });
}

/** 429 with Retry-After; `what` says which attempts were too many. */
export function tooManyAttempts(retryAfterMs: number, code = 'too_many_login_attempts', what = 'Too many failed sign-ins'): HttpError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new HttpError(429, code, `${what}; try again in ${seconds} s`, { retryAfterSeconds: seconds }, seconds);
}

export function createLoginLimits(db: Knex, limits: CauceConfig['auth']['loginLimits']) {
  const perUserAndAddress = limiter(db, 'login-user-address', limits.perUserAndAddress);
  const perAddress = limiter(db, 'login-address', limits.perAddress);
  const userKey = (username: string, address: string) => digest(username, address);
  const addressKey = (address: string) => digest(address);

  return {
    /** Takes a point from both counters; 429 with the longest wait when either is spent. */
    async attempt(username: string, address: string): Promise<void> {
      const results = await Promise.allSettled([perUserAndAddress.consume(userKey(username, address)), perAddress.consume(addressKey(address))]);
      const refused = results.flatMap((r) => (r.status === 'rejected' && r.reason instanceof RateLimiterRes ? [r.reason.msBeforeNext] : []));
      // Anything else is the store failing (Postgres down): the error handler maps it.
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !(r.reason instanceof RateLimiterRes));
      if (failed) throw failed.reason;
      if (refused.length > 0) throw tooManyAttempts(Math.max(...refused));
    },

    /** The attempt succeeded: it does not count against the address, and the username+address count starts over. */
    async succeeded(username: string, address: string): Promise<void> {
      await Promise.all([perUserAndAddress.delete(userKey(username, address)), perAddress.reward(addressKey(address), 1)]);
    },
  };
}

export type LoginLimits = ReturnType<typeof createLoginLimits>;
