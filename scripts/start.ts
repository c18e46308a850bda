/**
 * `npm start`: the whole system on one machine. Embedded Postgres (under <dataDir>/postgres) and an
 * embedded Temporal dev server (persisting to <dataDir>/temporal.db) unless DATABASE_URL /
 * TEMPORAL_ADDRESS point at real ones; then migrations, definitions, demo users, the worker and the
 * HTTP API. Ctrl-C / SIGTERM stops them in reverse order: HTTP, worker, Temporal, Postgres.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { createApp } from '../api/app';
import { startAuthHousekeeping } from '../api/auth/housekeeping';
import { createHttpServer, listen } from '../api/http-server';
import { table } from '../cli/format';
import { loadConfig } from '../lib/config';
import { createDb, migrateLatest } from '../lib/db';
import { deployFolder } from '../lib/definitions/store';
import { createImportStore } from '../api/opportunities/import-store';
import { ensureOutboxDelivery } from '../lib/outbox-delivery';
import { connectClient } from '../lib/temporal';
import { seedDemoUsers } from '../lib/users';
import { createWorker } from '../worker/create-worker';
import { ensureUiBuilt } from './build-ui';
import { ROOT } from './ensure-tools';
import { startServers } from './servers';

type Stop = { name: string; stop: () => Promise<void> };

/** Everything started so far, stopped last-in first-out. */
const running: Stop[] = [];
let stopping: Promise<void> | undefined;

const log = (message: string) => process.stdout.write(`[cauce] ${message}\n`);

async function shutdown(code: number): Promise<never> {
  stopping ??= (async () => {
    for (const { name, stop } of running.reverse()) {
      log(`stopping ${name}…`);
      await stop().catch((err) => console.error(`[cauce] stopping ${name} failed:`, err));
    }
  })();
  await stopping;
  process.exit(code);
}

async function main(): Promise<void> {
  // The SDK would otherwise start draining the worker on SIGINT by itself, alongside the HTTP server.
  Runtime.install({ shutdownSignals: [] });
  const config = loadConfig();
  const dataDir = path.resolve(ROOT, config.dataDir);
  mkdirSync(dataDir, { recursive: true });

  // Built while the servers start: both take a while and neither needs the other.
  const building = ensureUiBuilt(log);
  building.catch(() => undefined); // awaited below, once the servers are registered for shutdown
  const servers = await startServers(config, { dataDir, configuredPorts: true });
  running.push(...servers.stops);
  const { databaseUrl, temporalAddress, temporalUiUrl: uiUrl } = servers;
  if (servers.addedSearchAttributes.length > 0) log(`registered search attributes ${servers.addedSearchAttributes.join(', ')}`);

  const { client, connection } = await connectClient(config, temporalAddress);
  running.push({ name: 'Temporal client', stop: () => connection.close() });

  const db = createDb(databaseUrl);
  running.push({ name: 'database pool', stop: () => db.destroy() });
  await migrateLatest(db);
  const interrupted = await createImportStore(db).failInterrupted();
  if (interrupted) log(`${interrupted} CSV import(s) cut off by the last stop marked failed; import them again to finish`);
  const deployed = await deployFolder(db, path.join(ROOT, 'definitions'));
  log(`definitions: ${deployed.map((d) => path.basename(d.file)).join(', ') || 'none'}`);

  // One demo user per role the deployed processes use (admin is always added).
  // Plus the store's integration user, which calls the accounts API and the payment webhook.
  const usedRoles = [...new Set([...deployed.flatMap((d) => d.version.definition.roles ?? []), 'integration'])].sort();
  const users = await seedDemoUsers(db, usedRoles);
  const usersFile = path.join(dataDir, 'dev-users.json');
  writeFileSync(usersFile, JSON.stringify(users, null, 2) + '\n', { mode: 0o600 });

  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  running.push({ name: 'worker connection', stop: () => nativeConnection.close() });
  const worker = await createWorker({ connection: nativeConnection, config, db });
  const workerDone = worker.run();
  running.push({
    name: 'worker',
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await workerDone;
    },
  });
  workerDone.catch((err) => {
    console.error('[cauce] worker failed:', err);
    void shutdown(1);
  });
  await ensureOutboxDelivery(client, config);

  const app = createApp({ db, temporal: client, config }, { webAppDir: await building });
  const server = await listen(createHttpServer(app, config.http.timeouts), config.http.port, config.http.host);
  running.push({ name: 'HTTP server', stop: () => closeServer(server) });
  const stopHousekeeping = startAuthHousekeeping(db, config.auth.housekeepingMinutes * 60_000);
  running.push({ name: 'session purge', stop: async () => stopHousekeeping() });

  const apiUrl = `http://${config.http.host}:${config.http.port}`;
  log(`web app      ${apiUrl}/`);
  log(`API          ${apiUrl}/api (OpenAPI: ${apiUrl}/api/openapi.json)`);
  log(`Temporal     ${temporalAddress} (namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue})`);
  log(`Temporal UI  ${uiUrl ?? '(external server: use its own UI)'}`);
  const shownFile = path.relative(process.cwd(), usersFile);
  log(`demo users (also in ${shownFile.startsWith('..') ? usersFile : shownFile}):`);
  printUsers(users);
  log('Ctrl-C to stop');
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets would hold close() open until their clients hang up.
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 5_000).unref();
  });
}

function printUsers(users: Array<{ username: string; password: string; roles: string[] }>): void {
  const rows = users.map((u) => ({ username: u.username, password: u.password, roles: u.roles.join(', ') }));
  for (const line of table(rows, ['username', 'password', 'roles']).split('\n')) log(`  ${line}`);
}

let firstSignalAt: number | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (firstSignalAt === undefined) {
      firstSignalAt = Date.now();
      log(`${signal}: shutting down (Ctrl-C again to force)`);
      void shutdown(0);
    } else if (Date.now() - firstSignalAt > 1_000) {
      // A later Ctrl-C means "now"; the detached servers are still killed by their exit hooks. Repeats
      // within a second are the same Ctrl-C relayed by npm/tsx, not a second one.
      process.exit(1);
    }
  });
}

// npm exits on SIGTERM without passing it on, which would orphan the servers: when our parent goes
// away (we are re-parented), stop as if we had been told to.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid && firstSignalAt === undefined) {
    firstSignalAt = Date.now();
    log('parent process exited: shutting down');
    void shutdown(0);
  }
}, 1_000).unref();

main().catch((err) => {
  console.error(`[cauce] start failed: ${err instanceof Error ? err.message : String(err)}`);
  void shutdown(1);
});
