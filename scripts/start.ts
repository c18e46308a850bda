/**
 * `npm start`: the whole system on one machine, as a supervisor of separate OS processes. It starts
 * embedded Postgres (under <dataDir>/postgres) and an embedded Temporal dev server (persisting to
 * <dataDir>/temporal.db) unless DATABASE_URL / TEMPORAL_ADDRESS point at real ones, runs the
 * migrations, deploys the definitions and seeds the demo users, then runs the worker
 * (worker/main.ts) and the HTTP API (api/main.ts) as child processes, restarting either when it
 * crashes (scripts/supervisor.ts). Unless SMTP_URL names a relay it also runs the local SMTP sink
 * (lib/mail/sink.ts) in this process and hands its address to the worker as SMTP_URL. Ctrl-C / SIGTERM
 * stops them in reverse order: HTTP, worker, mail sink, Temporal, Postgres.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { table } from '../cli/format';
import { loadConfig, redactedUrl } from '../lib/config';
import { createDb, migrateLatest } from '../lib/db';
import { startMailSink } from '../lib/mail/sink';
import { deployFolder } from '../lib/definitions/store';
import { EMBEDDED_TEMPORAL_ENV } from '../lib/service-process';
import { seedDemoData } from '../lib/demo-data';
import { seedDemoUsers } from '../lib/users';
import { ensureUiBuilt } from './build-ui';
import { ROOT } from './ensure-tools';
import { startServers } from './servers';
import { supervise, type Supervised } from './supervisor';

type Stop = { name: string; stop: () => Promise<void> };
type DemoUser = { username: string; password: string; roles: string[] };

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

  const usersFile = path.join(dataDir, 'dev-users.json');
  const users = await prepareDatabase(databaseUrl, usersFile);
  const smtpUrl = config.mail.smtpUrl ?? (await startSink(databaseUrl, config.mail.sinkPort));

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    SMTP_URL: smtpUrl,
    // An embedded dev server is handed over apart from TEMPORAL_ADDRESS, so the API still links to its Web UI.
    ...(config.temporal.address ? {} : { [EMBEDDED_TEMPORAL_ENV]: temporalAddress }),
    CAUCE_WEB_APP_DIR: await building,
  };
  // Pushed in start order, stopped in reverse: the HTTP API first, then the worker (which drains).
  const services: Supervised[] = [];
  for (const [name, script, stopGraceMs] of [['worker', 'worker/main.ts', 60_000], ['API', 'api/main.ts', 10_000]] as const) {
    const service = supervise({ name, script, cwd: ROOT, env, stopGraceMs }, log);
    services.push(service);
    running.push({ name: name === 'API' ? 'HTTP server' : name, stop: () => service.stop() });
  }
  await Promise.all(services.map((s) => s.ready));

  const apiUrl = `http://${config.http.host}:${config.http.port}`;
  log(`web app      ${apiUrl}/`);
  log(`API          ${apiUrl}/api (OpenAPI: ${apiUrl}/api/openapi.json)`);
  log(`Temporal     ${temporalAddress} (namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue})`);
  log(`Temporal UI  ${uiUrl ?? '(external server: use its own UI)'}`);
  log(`e-mail       ${config.mail.smtpUrl ? `relay ${redactedUrl(config.mail.smtpUrl)}` : `local sink ${smtpUrl}, read it at ${apiUrl}/mail`}`);
  const shownFile = path.relative(process.cwd(), usersFile);
  log(`demo users (also in ${shownFile.startsWith('..') ? usersFile : shownFile}):`);
  printUsers(users);
  log('Ctrl-C to stop');
}

/** Migrations, definitions and demo users, on a pool of its own that is closed again (the services open theirs). */
async function prepareDatabase(databaseUrl: string, usersFile: string): Promise<DemoUser[]> {
  const db = createDb(databaseUrl, { poolMax: 2 });
  try {
    await migrateLatest(db);
    const deployed = await deployFolder(db, path.join(ROOT, 'definitions'));
    log(`definitions: ${deployed.map((d) => path.basename(d.file)).join(', ') || 'none'}`);

    // One demo user per role the deployed processes use (admin is always added).
    // Plus the store's integration user, which calls the accounts API and the payment webhook.
    const usedRoles = [...new Set([...deployed.flatMap((d) => d.version.definition.roles ?? []), 'integration'])].sort();
    const users = await seedDemoUsers(db, usedRoles);
    for (const note of await seedDemoData(db)) log(note);
    writeFileSync(usersFile, JSON.stringify(users, null, 2) + '\n', { mode: 0o600 });
    return users;
  } finally {
    await db.destroy();
  }
}

/** The embedded SMTP sink, on its own small pool, stopped after the worker that sends to it. */
async function startSink(databaseUrl: string, port: number): Promise<string> {
  const db = createDb(databaseUrl, { poolMax: 2 });
  const sink = await startMailSink({ db, port }).catch(async (err: Error) => {
    await db.destroy();
    throw new Error(`mail sink on port ${port} (mail.sinkPort, CAUCE_SMTP_SINK_PORT): ${err.message}`);
  });
  running.push({ name: 'mail sink', stop: async () => { await sink.stop(); await db.destroy(); } });
  return sink.url;
}

function printUsers(users: DemoUser[]): void {
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
