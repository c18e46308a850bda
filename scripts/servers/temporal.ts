/**
 * Lifecycle of a local Temporal dev server (`temporal server start-dev`) for `npm start` and tests.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { ensureTools } from '../ensure-tools';

export interface TemporalDevServerOptions {
  binary: string;
  /** 0 / undefined → a free port. */
  port?: number;
  /** null / undefined → headless (no Web UI). */
  uiPort?: number | null;
  /** Persist to this SQLite file; undefined/null → in memory. */
  dbFile?: string | null;
  namespace: string;
  searchAttributes: Record<string, string>;
  logFile: string;
  /** How long to wait for the frontend to answer. */
  startTimeoutMs?: number;
}

export interface TemporalDevServer {
  address: string;
  uiUrl: string | null;
  pid: number;
  stop(): Promise<void>;
}

export async function resolveTemporalBinary(): Promise<string> {
  return (await ensureTools()).temporal;
}

export async function resolveTestServerBinary(): Promise<string | null> {
  return (await ensureTools()).testServer;
}

/** An OS-assigned free TCP port on 127.0.0.1 (there is a small race until the caller binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Runs the child in its own process group: a terminal Ctrl-C then reaches only our process, which
 * stops the servers in order (worker first) instead of all at once, and `stop()` can kill the whole
 * group. The `exit` hook is the safety net for a crash of the parent.
 */
export function spawnGroup(cmd: string, args: string[], logFile: string, options: { uid?: number; gid?: number } = {}): ChildProcess {
  mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd], ...options });
  closeSync(fd);
  const onExit = () => killGroup(child, 'SIGKILL');
  process.on('exit', onExit);
  child.once('exit', () => process.removeListener('exit', onExit));
  return child;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM (or `signal`) to the group, SIGKILL if it is still there after `graceMs`. */
export async function stopGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, signal);
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const port = options.port || (await freePort());
  const headless = options.uiPort === null || options.uiPort === undefined;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-format', 'json'];
  if (headless) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort), '--ui-disable-news-fetch');
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  if (options.namespace !== 'default') args.push('--namespace', options.namespace);
  for (const [name, type] of Object.entries(options.searchAttributes)) args.push('--search-attribute', `${name}=${type}`);

  const address = `127.0.0.1:${port}`;
  const child = spawnGroup(options.binary, args, options.logFile);
  try {
    await waitUntilServing(child, address, options.namespace, options.logFile, options.startTimeoutMs ?? 60_000);
  } catch (err) {
    await stopGroup(child, 'SIGKILL');
    throw err;
  }
  return {
    address,
    uiUrl: headless ? null : `http://127.0.0.1:${options.uiPort}`,
    pid: child.pid!,
    stop: () => stopGroup(child),
  };
}

async function waitUntilServing(child: ChildProcess, address: string, namespace: string, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `Temporal dev server exited (${child.exitCode ?? child.signalCode}) before serving on ${address}. ` +
          `Is the port taken? Log ${logFile}:\n${tail(logFile)}`,
      );
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(
    `Temporal dev server did not answer on ${address} within ${timeoutMs} ms ` +
      `(last error: ${(lastError as Error)?.message}). Log ${logFile}:\n${tail(logFile)}`,
  );
}
