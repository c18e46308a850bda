/**
 * The public forms that start a process with no login (seed 002's prospect intake, seed 001's
 * web-to-lead): limited per address, with a honeypot field, and deduplicated by the business key, since
 * Temporal refuses a second running instance for it. The same answer whatever happened (started, already
 * being worked, caught by the honeypot), so a form tells a stranger nothing about who else asked.
 */
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { AppDeps } from './deps';
import { digest, limiter, tooManyAttempts } from './auth/login-limits';
import { HttpError } from './errors';
import type { ProcessService } from './processes/service';
import type { SessionUser } from './types';

export const RECEIVED = { received: true } as const;

export interface Submission {
  /** The honeypot field's value: a person leaves it empty, a bot fills it in. */
  honeypot: string | undefined;
  /** Where it came from (`web-form`, `facebook`…): the instance is started by `intake:<channel>`. */
  channel: string;
  definitionId: string;
  businessKey: string;
  variables: Record<string, unknown>;
}

export function createPublicIntake({ db, config }: Pick<AppDeps, 'db' | 'config'>, processes: ProcessService) {
  const perAddress = limiter(db, 'public-form-address', config.auth.publicFormsPerAddress);

  /** Counts the submission against the address (429 past the limit), then starts the process unless one runs for the key. */
  return async function receive(address: string, s: Submission): Promise<typeof RECEIVED> {
    try {
      await perAddress.consume(digest(address));
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      throw tooManyAttempts(err.msBeforeNext, 'too_many_submissions', 'Too many requests from this address');
    }
    if (s.honeypot) return RECEIVED;
    const intake: SessionUser = { id: `intake:${s.channel}`, username: `intake:${s.channel}`, roles: [] };
    try {
      await processes.open(
        intake,
        { definitionId: s.definitionId, businessKey: s.businessKey, variables: s.variables },
        { messageId: `intake:${s.definitionId}:${s.businessKey}:${Date.now()}`, actor: intake.username },
        { internal: true },
      );
    } catch (err) {
      // This key's process is already being worked: the person asked again.
      if (err instanceof HttpError && err.code === 'duplicate_business_key') return RECEIVED;
      throw err;
    }
    return RECEIVED;
  };
}

export type PublicIntake = ReturnType<typeof createPublicIntake>;
