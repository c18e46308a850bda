/**
 * The 30-day trial on the time-skipping test server, with the real YAML, real activities and Postgres.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { workflowBundle } from '../../worker/bundle';
import { eventSignal, stateQuery } from '../../workflows/messages';
import type { DefinitionVersion } from '../../workflows/model';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { DAY, deployDefinitions, enteredAfter, exampleVariables, startProcess } from '../support/processes';
import { recordHistory } from '../support/histories';
import { createTimeSkippingEnv, quietWorkerLogs, uniqueTaskQueue } from '../support/servers';

let env: TestWorkflowEnvironment;
let database: FreshDatabase;
let trial: DefinitionVersion;
let worker: Worker;
let running: Promise<void>;
const taskQueue = uniqueTaskQueue('trial');

beforeAll(async () => {
  quietWorkerLogs();
  env = await createTimeSkippingEnv();
  database = await freshDatabase();
  trial = await (await deployDefinitions(database.db))('trial-lifecycle');
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities({ db: database.db }),
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await database?.drop();
  await env?.teardown();
});

function account(email: string) {
  return database.db('accounts').where({ email }).first();
}

it('expires the trial on day 30 when no payment arrives', async () => {
  const email = 'expira@panaderia.cl';
  const handle = await startProcess(env.client, taskQueue, trial, email, exampleVariables(trial, { email }));

  const result = await handle.result();

  expect(result.outcome).toBe('expired');
  await recordHistory(handle, 'trial-expires-day-30');
  const state = await handle.query(stateQuery);
  const expiredAfter = enteredAfter(state, 'suspendAccount')!;
  expect(expiredAfter).toBeGreaterThanOrEqual(30 * DAY);
  expect(expiredAfter).toBeLessThan(30 * DAY + 60_000); // the timer starts once the account exists
  expect(enteredAfter(state, 'recordPayment')).toBeUndefined();
  expect(state.stage).toBe('opportunity-lost');
  expect((await account(email)).status).toBe('suspended');
  const instance = await database.db('process_instances').where({ id: handle.workflowId }).first();
  expect(instance).toMatchObject({ status: 'completed', outcome: 'expired', stage: 'opportunity-lost' });
  expect(await database.db('invoices').where({ account_id: (await account(email)).id })).toHaveLength(0);
});

it('converts the trial when the payment arrives on day 12, and never expires it', async () => {
  const email = 'paga@ferreteria.cl';
  const handle = await startProcess(env.client, taskQueue, trial, email, exampleVariables(trial, { email, rut: '11.111.111-1' }));
  await env.sleep(12 * DAY);
  const payment = { name: 'payment', eventId: 'tx-981', payload: { amount: 29990, currency: 'CLP', method: 'webpay', transactionId: 'tx-981' } };
  await handle.signal(eventSignal, payment);
  await handle.signal(eventSignal, payment); // the store's webhook retried: same event id

  const result = await handle.result();

  expect(result.outcome).toBe('converted');
  await recordHistory(handle, 'trial-paid-day-12');
  const state = await handle.query(stateQuery);
  const paidAfter = enteredAfter(state, 'recordPayment')!;
  expect(paidAfter).toBeGreaterThanOrEqual(12 * DAY);
  expect(paidAfter).toBeLessThan(13 * DAY);
  expect(enteredAfter(state, 'suspendAccount')).toBeUndefined();
  expect(state.stage).toBe('paid-account');
  const row = await account(email);
  expect(row.status).toBe('active');
  expect(await database.db('payments').where({ account_id: row.id })).toHaveLength(1);
  const invoices = await database.db('invoices').where({ account_id: row.id });
  expect(invoices).toHaveLength(1);
  expect(invoices[0].channel).toBe('Canal Digital');
});
