/**
 * The API process's periodic clean-up of sign-in state: expired sessions (lib/users.ts) and expired
 * login-failure counters (login-limits.ts). Neither would ever authenticate or block anyone again;
 * kept forever they only grow the tables. Several API instances may each run it: the deletes are idempotent.
 */
import type { Knex } from 'knex';
import { purgeExpiredSessions } from '../../lib/users';
import { logger } from '../logger';
import { LOGIN_FAILURES_TABLE } from './login-limits';

export interface PurgeResult {
  sessions: number;
  loginFailures: number;
}

export async function purgeExpiredAuthState(db: Knex): Promise<PurgeResult> {
  const sessions = await purgeExpiredSessions(db);
  // The library stores expiry as epoch milliseconds of the instance that wrote it.
  const loginFailures = await db(LOGIN_FAILURES_TABLE).where('expire', '<', Date.now()).delete();
  return { sessions, loginFailures };
}

/** Purges now and then every `everyMs`; a failed run is logged and the next one tried. Returns `stop`. */
export function startAuthHousekeeping(db: Knex, everyMs: number, log = logger): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = async () => {
    try {
      const purged = await purgeExpiredAuthState(db);
      if (purged.sessions + purged.loginFailures > 0) log.info(purged, 'purged expired sessions and login counters');
    } catch (err) {
      log.warn({ err }, 'purging expired sessions failed; will retry');
    }
    if (!stopped) timer = setTimeout(run, everyMs).unref();
  };
  void run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
