/**
 * Postgres and Temporal for one run of `npm start`, the jest global setup or a bench: an embedded
 * server for each one the config does not point at (`database.url`, `temporal.address`), started
 * side by side. An existing Temporal gets the configured search attributes registered.
 */
import path from 'node:path';
import type { CauceConfig } from '../../lib/config';
import { connectClient, ensureSearchAttributes } from '../../lib/temporal';
import { ensureTools, ROOT } from '../ensure-tools';
import { startEmbeddedPostgres } from './postgres';
import { startTemporalDevServer } from './temporal';

export interface ServersOptions {
  /** Holds the embedded Postgres cluster (`<dataDir>/postgres`) and the servers' logs. */
  dataDir: string;
  /**
   * `npm start`: the configured ports, the Temporal Web UI and its SQLite file. Otherwise (tests,
   * benches): free ports, headless, in memory.
   */
  configuredPorts?: boolean;
}

export interface Servers {
  /** The configured `database.url`, or the embedded server's `postgres` database. */
  databaseUrl: string;
  temporalAddress: string;
  /** The embedded dev server's Web UI; null when headless or external. */
  temporalUiUrl: string | null;
  /** Search attributes this call registered on an existing Temporal. */
  addedSearchAttributes: string[];
  /** The embedded servers started, Postgres first: stop them in reverse. */
  stops: Array<{ name: string; stop: () => Promise<void> }>;
}

export async function startServers(config: CauceConfig, options: ServersOptions): Promise<Servers> {
  const { dataDir, configuredPorts = false } = options;
  const { devServer } = config.temporal;
  const [pg, temporal] = await Promise.allSettled([
    config.database.url
      ? null
      : startEmbeddedPostgres({
          dataDir: path.join(dataDir, 'postgres'),
          ...(configuredPorts ? { port: config.database.embeddedPort } : { fallbackToFreePort: true }),
        }),
    config.temporal.address
      ? null
      : ensureTools().then(({ temporal: binary }) =>
          startTemporalDevServer({
            binary,
            ...(configuredPorts ? { port: devServer.port, uiPort: devServer.uiPort, dbFile: devServer.dbFile && path.resolve(ROOT, devServer.dbFile) } : {}),
            namespace: config.temporal.namespace,
            searchAttributes: config.temporal.searchAttributes,
            logFile: path.join(dataDir, 'temporal.log'),
          }),
        ),
  ]);
  const stops: Servers['stops'] = [];
  if (pg.status === 'fulfilled' && pg.value) stops.push({ name: 'Postgres', stop: pg.value.stop });
  if (temporal.status === 'fulfilled' && temporal.value) stops.push({ name: 'Temporal', stop: temporal.value.stop });
  try {
    if (pg.status === 'rejected') throw pg.reason;
    if (temporal.status === 'rejected') throw temporal.reason;
    return {
      databaseUrl: config.database.url ?? pg.value!.url,
      temporalAddress: config.temporal.address ?? temporal.value!.address,
      temporalUiUrl: temporal.value?.uiUrl ?? null,
      addedSearchAttributes: config.temporal.address ? await registerSearchAttributes(config) : [],
      stops,
    };
  } catch (err) {
    // Whichever server did start is stopped again.
    for (const { stop } of [...stops].reverse()) await stop().catch(() => undefined);
    throw err;
  }
}

async function registerSearchAttributes(config: CauceConfig): Promise<string[]> {
  const { connection } = await connectClient(config);
  try {
    return await ensureSearchAttributes(connection, config.temporal.namespace, config.temporal.searchAttributes);
  } finally {
    await connection.close();
  }
}
