/**
 * The whole stack for end-to-end tests: a fresh database with the real definitions and the demo
 * users, a real worker on the shared dev server (on a task queue of its own), and the real app on
 * an ephemeral port. Tests talk to it only through HTTP, as a browser or the CLI would.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client, Connection } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createApp } from '../../api/app';
import { loadConfig, type CauceConfig } from '../../lib/config';
import { roleIds } from '../../lib/definitions/roles';
import { deployFolder } from '../../lib/definitions/store';
import { createUser, seedDemoUsers } from '../../lib/users';
import { createWorker } from '../../worker/create-worker';
import { freshDatabase, type FreshDatabase } from './database';
import { DEFINITIONS_DIR } from './processes';
import { devServerAddress, devServerClient, devServerNativeConnection, quietWorkerLogs, uniqueTaskQueue } from './servers';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  /** Sent as is with content-type application/json (for malformed bodies). */
  raw?: string;
  headers?: Record<string, string>;
}

export interface ApiStack {
  baseUrl: string;
  db: Knex;
  temporal: Client;
  config: CauceConfig;
  /** Signs in a demo user (username = role id, or `admin`) or one added with `addUser`; returns the bearer token. */
  login(username: string): Promise<string>;
  request<T = any>(method: string, path: string, token?: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse<T>>;
  addUser(username: string, roles: string[]): Promise<void>;
  close(): Promise<void>;
}

/** One JSON call to a Cauce server (this stack's, or one started some other way, e.g. `npm start` in test/e2e). */
export async function requestJson<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (token) headers.authorization = `Bearer ${token}`;
  let payload: string | undefined;
  if (options.raw !== undefined) payload = options.raw;
  else if (body !== undefined) payload = JSON.stringify(body);
  if (payload !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(baseUrl + path, { method, headers, body: payload });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

export async function startApiStack(prefix = 'e2e'): Promise<ApiStack> {
  quietWorkerLogs();
  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err) => process.stderr.write(`[api stack] ${err}\n`));
    cleanups.length = 0;
  };

  try {
    const database: FreshDatabase = await freshDatabase();
    cleanups.push(() => database.drop());
    const { db } = database;

    const base = loadConfig();
    const config: CauceConfig = { ...base, temporal: { ...base.temporal, address: devServerAddress(), taskQueue: uniqueTaskQueue(prefix) } };

    await deployFolder(db, DEFINITIONS_DIR, 'test');
    const passwords = new Map<string, string>();
    for (const c of await seedDemoUsers(db, roleIds())) passwords.set(c.username, c.password);

    const nativeConnection: NativeConnection = await devServerNativeConnection();
    cleanups.push(() => nativeConnection.close());
    const worker: Worker = await createWorker({ connection: nativeConnection, config, db, taskQueue: config.temporal.taskQueue });
    const running = worker.run();
    cleanups.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });

    const { client: temporal, connection }: { client: Client; connection: Connection } = await devServerClient(config.temporal.namespace);
    cleanups.push(() => connection.close());

    const server: Server = createApp({ db, temporal, config }).listen(0, '127.0.0.1');
    await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const request = <T = any>(method: string, path: string, token?: string, body?: unknown, options?: RequestOptions) =>
      requestJson<T>(baseUrl, method, path, token, body, options);

    return {
      baseUrl,
      db,
      temporal,
      config,
      request,
      async login(username) {
        const password = passwords.get(username);
        if (!password) throw new Error(`no password known for ${username}: seed it or addUser() it first`);
        const res = await request('POST', '/api/auth/login', undefined, { username, password });
        if (res.status !== 200) throw new Error(`login ${username}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
        return res.body.token as string;
      },
      async addUser(username, roles) {
        const password = `${username}-password`;
        await createUser(db, { username, password, roles });
        passwords.set(username, password);
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

export { eventually } from './eventually';
