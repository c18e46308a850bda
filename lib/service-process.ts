/**
 * The child side of `npm start`'s supervisor (scripts/supervisor.ts), shared by the API (api/main.ts)
 * and the worker (worker/main.ts): where the servers are, "ready", and "stop" from a signal or from
 * the supervisor going away. Run standalone (production), the same entry points just use the config.
 */
import type { CauceConfig } from './config';

/**
 * The supervisor's embedded dev server. Not TEMPORAL_ADDRESS: that means "an external cluster",
 * whose Web UI the API cannot link to.
 */
export const EMBEDDED_TEMPORAL_ENV = 'CAUCE_EMBEDDED_TEMPORAL_ADDRESS';

export interface ServerAddresses {
  temporalAddress: string;
  databaseUrl: string;
}

/** The Temporal and Postgres to use; `entry` names the program in the error when either is missing. */
export function serverAddresses(config: CauceConfig, entry: string, env: NodeJS.ProcessEnv = process.env): ServerAddresses {
  const temporalAddress = config.temporal.address ?? env[EMBEDDED_TEMPORAL_ENV] ?? null;
  const databaseUrl = config.database.url;
  if (!temporalAddress || !databaseUrl) {
    throw new Error(`${entry} needs TEMPORAL_ADDRESS and DATABASE_URL pointing at running servers (npm start provides them itself)`);
  }
  return { temporalAddress, databaseUrl };
}

/** Tells the supervisor (if any) that this process serves now. */
export function announceReady(): void {
  process.send?.({ type: 'ready' });
}

/**
 * Calls `stop` once on SIGINT, SIGTERM or when the supervisor's IPC channel closes (the supervisor
 * exited, was killed with SIGKILL or crashed), then exits. `signals: false` leaves the signals to
 * someone else (the Temporal SDK drains its worker on them by itself).
 */
export function stopOnRequest(name: string, stop: () => Promise<void>, options: { signals?: boolean } = {}): void {
  let stopping = false;
  const run = (why: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`[${name}] ${why}: stopping\n`);
    stop().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`[${name}] stopping failed: ${err instanceof Error ? err.stack : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  if (options.signals !== false) for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => run(signal));
  if (process.connected) {
    process.on('disconnect', () => run('supervisor gone'));
    // With the supervisor gone its end of our stdout/stderr pipes is closed too: writing must not throw.
    for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  }
}
