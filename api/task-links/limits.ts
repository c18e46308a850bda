/**
 * The public link routes are limited per address as sign-ins are (config auth.loginLimits.perAddress,
 * the same Postgres-backed counters as api/auth/login-limits.ts): every attempt takes a point before the
 * token is looked up, a usable link gives it back. So one address cannot try tokens, or hammer a dead
 * link, without end.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { LoginLimit } from '../../lib/config';
import { LOGIN_FAILURES_TABLE } from '../auth/login-limits';
import { HttpError } from '../errors';

const digest = (address: string) => createHash('sha256').update(address).digest('hex');

export function createLinkLimits(db: Knex, limit: LoginLimit) {
  const perAddress = new RateLimiterPostgres({
    storeClient: db,
    storeType: 'knex',
    tableName: LOGIN_FAILURES_TABLE,
    tableCreated: true,
    clearExpiredByTimeout: false,
    keyPrefix: 'task-link-address',
    points: limit.failures,
    duration: limit.windowSeconds,
    blockDuration: limit.blockSeconds,
  });
  return {
    async attempt(address: string): Promise<void> {
      try {
        await perAddress.consume(digest(address));
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        throw new HttpError(429, 'too_many_link_attempts', `Too many attempts with task links from this address; try again in ${seconds} s`, { retryAfterSeconds: seconds }, seconds);
      }
    },
    async succeeded(address: string): Promise<void> {
      await perAddress.reward(digest(address), 1);
    },
  };
}

export type LinkLimits = ReturnType<typeof createLinkLimits>;
