/**
 * A worker killed with SIGKILL in the middle of a process: a new worker picks the instance up and it
 * finishes with every side effect written exactly once (activities are idempotent by step key).
 * Real dev server, real Postgres, real worker processes.
 */
import type { ChildProcess } from 'node:child_process';
import type { Client, Connection } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '../../lib/config';
import { createWorker } from '../../worker/create-worker';
import { eventSignal } from '../../workflows/messages';
import { countRows, freshDatabase, type FreshDatabase } from '../support/database';
import { eventually } from '../support/eventually';
import { completeStep, deployDefinitions, exampleVariables, startProcess } from '../support/processes';
import { devServerClient, devServerNativeConnection, quietWorkerLogs, uniqueTaskQueue } from '../support/servers';
import { killWorkerProcess, startWorkerProcess } from '../support/worker-process';

const taskQueue = uniqueTaskQueue('crash');
let database: FreshDatabase;
let client: Client;
let connection: Connection;
let child: ChildProcess | undefined;
let replacement: Worker | undefined;
let replacementRun: Promise<void> | undefined;
let nativeConnection: NativeConnection | undefined;

beforeAll(async () => {
  quietWorkerLogs();
  database = await freshDatabase();
  ({ client, connection } = await devServerClient());
});

afterAll(async () => {
  child?.kill('SIGKILL');
  replacement?.shutdown();
  await replacementRun;
  await nativeConnection?.close();
  await connection?.close();
  await database?.drop();
});

it('finishes the instance with each side effect once after the worker is killed mid-process', async () => {
  const trial = await (await deployDefinitions(database.db))('trial-lifecycle');
  child = await startWorkerProcess(database.url, taskQueue);
  const email = 'crash@almacen.cl';
  const handle = await startProcess(client, taskQueue, trial, email, exampleVariables(trial, { email }));
  const id = handle.workflowId;
  await eventually(() => countRows(database.db, 'tasks', { instance_id: id }), (n) => n === 1, 'the follow-up task', 60_000);

  // The amount due: the first period of the example's plan (trial-pyme, CLP 29,990).
  await handle.signal(eventSignal, { name: 'payment', eventId: 'tx-1', payload: { amount: 29990, currency: 'CLP', method: 'webpay', transactionId: 'tx-1' } });
  await eventually(() => countRows(database.db, 'payments', { instance_id: id }), (n) => n === 1, 'the payment row', 30_000);
  await killWorkerProcess(child);
  child = undefined;

  nativeConnection = await devServerNativeConnection();
  const base = loadConfig();
  const config = { ...base, temporal: { ...base.temporal, taskQueue } };
  replacement = await createWorker({ connection: nativeConnection, config, db: database.db });
  replacementRun = replacement.run();
  await completeStep(handle, trial, 'firstContact', 'contacted', { username: 'sales', roles: ['sales'] });
  const result = await handle.result();

  expect(result.outcome).toBe('converted');
  const account = await database.db('accounts').where({ email }).first();
  expect(account.status).toBe('active');
  expect(await countRows(database.db, 'accounts', { email })).toBe(1);
  expect(await countRows(database.db, 'payments', { instance_id: id })).toBe(1);
  expect(await countRows(database.db, 'invoices', { account_id: account.id })).toBe(1);
  expect(await countRows(database.db, 'outbox', { instance_id: id, template: 'invoice-issued' })).toBe(1);
  expect(await countRows(database.db, 'tasks', { instance_id: id })).toBe(1);
  const audit = await database.db('audit_events').where({ instance_id: id }).select('kind');
  const kinds = audit.map((a: { kind: string }) => a.kind).sort();
  expect(kinds.filter((k: string) => k === 'instance.started')).toHaveLength(1);
  expect(kinds.filter((k: string) => k === 'task.completed')).toHaveLength(1);
  expect(kinds.filter((k: string) => k === 'stage.changed')).toHaveLength(3); // conversion-to-account, closed-won, paid-account
}, 180_000);
