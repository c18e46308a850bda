/**
 * The 30-day trial on the time-skipping test server, with the real YAML, real activities and Postgres.
 */
import { eventSignal, stateQuery } from '../../workflows/messages';
import type { DefinitionVersion } from '../../workflows/model';
import { recordHistory } from '../support/histories';
import { DAY, deployDefinitions, enteredAfter, exampleVariables, startProcess } from '../support/processes';
import { useTimeSkippingStack } from '../support/time-skipping';

const stack = useTimeSkippingStack('trial');
let trial: DefinitionVersion;

beforeAll(async () => {
  trial = await (await deployDefinitions(stack.database.db))('trial-lifecycle');
});

function account(email: string) {
  return stack.database.db('accounts').where({ email }).first();
}

it('expires the trial on day 30 when no payment arrives', async () => {
  const email = 'expira@panaderia.cl';
  const handle = await startProcess(stack.env.client, stack.taskQueue, trial, email, exampleVariables(trial, { email }));

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
  const instance = await stack.database.db('process_instances').where({ id: handle.workflowId }).first();
  expect(instance).toMatchObject({ status: 'completed', outcome: 'expired', stage: 'opportunity-lost' });
  expect(await stack.database.db('invoices').where({ account_id: (await account(email)).id })).toHaveLength(0);
});

it('converts the trial when the payment arrives on day 12, and never expires it', async () => {
  const email = 'paga@ferreteria.cl';
  const handle = await startProcess(stack.env.client, stack.taskQueue, trial, email, exampleVariables(trial, { email, rut: '11.111.111-1' }));
  await stack.env.sleep(12 * DAY);
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
  expect(await stack.database.db('payments').where({ account_id: row.id })).toHaveLength(1);
  const invoices = await stack.database.db('invoices').where({ account_id: row.id });
  expect(invoices).toHaveLength(1);
  expect(invoices[0].channel).toBe('Canal Digital');
});
