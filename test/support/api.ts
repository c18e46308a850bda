/**
 * The whole stack for end-to-end tests: a fresh database with the real definitions and the demo
 * users, a real worker on the shared dev server (on a task queue of its own), and the real app on
 * an ephemeral port. Tests talk to it only through HTTP, as a browser or the CLI would. The worker and
 * the definitions can be left out (ApiStackOptions) for tests of the HTTP contract alone.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { instanceHandle, type InstanceRef } from '../../lib/temporal';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createApp, type AppDeps } from '../../api/app';
import { createHttpServer } from '../../api/http-server';
import { loadConfig, type CauceConfig } from '../../lib/config';
import { roleIds } from '../../lib/definitions/roles';
import { deployFolder } from '../../lib/definitions/store';
import { seedDemoData } from '../../lib/demo-data';
import { createUser, seedDemoUsers } from '../../lib/users';
import { createWorker } from '../../worker/create-worker';
import { freshDatabase, type FreshDatabase } from './database';
import { eventually } from './eventually';
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
  /** The stack's database: for a second API instance (serveApp), a worker of one's own (test/support/worker-process.ts), a pool of a test's own. */
  databaseUrl: string;
  db: Knex;
  temporal: Client;
  config: CauceConfig;
  /** Signs in a demo user (username = role id, or `admin`) or one added with `addUser`; returns the bearer token. */
  login(username: string): Promise<string>;
  request<T = any>(method: string, path: string, token?: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse<T>>;
  /** Adds a user whose password is `<username>-password`. */
  addUser(username: string, roles: string[]): Promise<void>;
  /** The Temporal handle of an instance, by its id (its row names its workflow id), once it is recorded. */
  handle(instanceId: string): Promise<WorkflowHandle>;
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

export interface ServedApp {
  baseUrl: string;
  server: Server;
  close(): Promise<void>;
}

/** The real app in the real HTTP server (api/http-server.ts), on an ephemeral port of 127.0.0.1. */
export async function serveApp(deps: AppDeps): Promise<ServedApp> {
  const server: Server = createHttpServer(createApp(deps), deps.config.http.timeouts).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface ApiStackOptions {
  /** Run a worker on the stack's task queue (default true). Without one, started workflows wait, untouched. */
  worker?: boolean;
  /** Deploy the definitions in definitions/ (default true). Without them the catalog starts empty. */
  definitions?: boolean;
  /** Changes to the stack's configuration (login limits, server timeouts…). */
  config?: (config: CauceConfig) => CauceConfig;
}

export async function startApiStack(prefix = 'e2e', options: ApiStackOptions = {}): Promise<ApiStack> {
  const { worker: withWorker = true, definitions = true, config: adjust = (c: CauceConfig) => c } = options;
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
    const config: CauceConfig = adjust({ ...base, temporal: { ...base.temporal, address: devServerAddress(), taskQueue: uniqueTaskQueue(prefix) } });

    if (definitions) await deployFolder(db, DEFINITIONS_DIR, 'test');
    const passwords = new Map<string, string>();
    for (const c of await seedDemoUsers(db, roleIds())) passwords.set(c.username, c.password);
    // What npm start seeds besides users, so shipped examples behave here as in the demo (all of it, on a fresh database).
    const unseeded = await seedDemoData(db);
    if (unseeded.length) throw new Error(`demo data: ${unseeded.join('; ')}`);

    if (withWorker) {
      const nativeConnection: NativeConnection = await devServerNativeConnection();
      cleanups.push(() => nativeConnection.close());
      const worker: Worker = await createWorker({ connection: nativeConnection, config, db, taskQueue: config.temporal.taskQueue });
      const running = worker.run();
      cleanups.push(async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      });
    }

    const { client: temporal, connection }: { client: Client; connection: Connection } = await devServerClient(config.temporal.namespace);
    cleanups.push(() => connection.close());

    const served = await serveApp({ db, temporal, config });
    cleanups.push(served.close);
    const { baseUrl } = served;

    const request = <T = any>(method: string, path: string, token?: string, body?: unknown, options?: RequestOptions) =>
      requestJson<T>(baseUrl, method, path, token, body, options);

    return {
      baseUrl,
      databaseUrl: database.url,
      db,
      temporal,
      config,
      request,
      async handle(instanceId) {
        const row = await eventually<InstanceRef | undefined>(() => db('process_instances').where({ id: instanceId }).first('id', 'workflow_id'), Boolean, `the row of ${instanceId}`);
        return instanceHandle(temporal, row!);
      },
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

/** The API's error shape, exactly: `{ error: { code, message, details } }` with this status (and code). */
export function expectError(res: { status: number; body: any }, status: number, code?: string): void {
  // Status and body together, so a mismatch shows what the API answered.
  expect({ status: res.status, body: res.body }).toMatchObject({
    status,
    body: { error: { code: code ?? expect.any(String), message: expect.any(String) } },
  });
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(Object.keys(res.body.error).sort()).toEqual(['code', 'details', 'message']);
}

/** Who makes a call: the username the API should record, and their bearer token. */
export interface Caller {
  username: string;
  token: string;
}

/**
 * Where tests send their calls: this stack, or an app started as its own process (test/e2e), which
 * says how long it may take to get a task to the inbox (`waitMs`, default eventually's).
 */
export type Requester = Pick<ApiStack, 'request'> & { waitMs?: number };

/** Waits for an open task of the process at `stepId` in the caller's inbox (GET /api/tasks?processId=) and returns it. */
export async function inboxTask(api: Requester, caller: Caller, processId: string, stepId: string): Promise<any> {
  const inbox = await eventually(
    () => api.request('GET', `/api/tasks?processId=${processId}`, caller.token),
    (r) => r.status === 200 && r.body.items.some((t: any) => t.stepId === stepId),
    `${stepId} in ${caller.username}'s inbox`,
    api.waitMs,
  );
  return inbox.body.items.find((t: any) => t.stepId === stepId);
}

/**
 * Completes the task over HTTP as the caller, with `data` (default: the form's first example, else {}),
 * and checks the API accepted it: 200, this task and outcome, completed by the caller.
 */
export async function completeTask(
  api: Requester,
  caller: Caller,
  task: { id: string; stepId?: string; form?: any },
  outcome: string,
  data?: Record<string, unknown>,
): Promise<ApiResponse> {
  const res = await api.request('POST', `/api/tasks/${task.id}/complete`, caller.token, { outcome, data: data ?? task.form?.examples?.[0] ?? {} });
  expect({ step: task.stepId, status: res.status, body: res.body }).toMatchObject({
    status: 200,
    body: { taskId: task.id, outcome, completedBy: caller.username },
  });
  return res;
}

/** Waits for the step's task in the caller's inbox, then completes it (see completeTask); returns the task. */
export async function completeInboxTask(
  api: Requester,
  caller: Caller,
  processId: string,
  stepId: string,
  outcome: string,
  data?: Record<string, unknown>,
): Promise<any> {
  const task = await inboxTask(api, caller, processId, stepId);
  await completeTask(api, caller, task, outcome, data);
  return task;
}

export { eventually };
