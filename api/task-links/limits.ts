/**
 * The public link routes are limited per address as sign-ins are (config auth.loginLimits.perAddress,
 * the same Postgres-backed counters as api/auth/login-limits.ts): every attempt takes a point before the
 * token is looked up, a usable link gives it back. So one address cannot try tokens, or hammer a dead
 * link, without end.
 */
import type { Knex } from 'knex';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { LoginLimit } from '../../lib/config';
import { digest, limiter, tooManyAttempts } from '../auth/login-limits';

export function createLinkLimits(db: Knex, limit: LoginLimit) {
  const perAddress = limiter(db, 'task-link-address', limit);
  return {
    async attempt(address: string): Promise<void> {
      try {
        await perAddress.consume(digest(address));
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        throw tooManyAttempts(err.msBeforeNext, 'too_many_link_attempts', 'Too many attempts with task links from this address');
      }
    },
    async succeeded(address: string): Promise<void> {
      await perAddress.reward(digest(address), 1);
    },
  };
}

export type LinkLimits = ReturnType<typeof createLinkLimits>;
