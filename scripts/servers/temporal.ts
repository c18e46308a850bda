/**
 * Lifecycle of a local Temporal dev server (`temporal server start-dev`) for `npm start` and tests.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { freePort, spawnGroup, stopGroup, tail } from './process';

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
