/**
 * The 30-day trial on the time-skipping test server, with the real YAML, real activities and Postgres.
 */
import { eventSignal, stateQuery } from '../../workflows/messages';
import type { DefinitionVersion, InstanceState } from '../../workflows/model';
import { recordHistory } from '../support/histories';
import { completeStep, DAY, deployDefinitions, enteredAfter, exampleVariables, openTaskAt, startProcess, waitForState } from '../support/processes';
import { useTimeSkippingStack } from '../support/time-skipping';

const stack = useTimeSkippingStack('trial');
let trial: DefinitionVersion;

beforeAll(async () => {
  trial = await (await deployDefinitions(stack.database.db))('trial-lifecycle');
});

const db = () => stack.database.db;
const account = (email: string) => db()('accounts').where({ email }).first();
const stages = (state: InstanceState) => state.stageHistory.map((s) => s.stage);
const payment = (transactionId: string, amount: number) => ({
  name: 'payment',
  eventId: `webhook-${transactionId}`,
  payload: { amount, currency: 'CLP', method: 'webpay', transactionId },
  actor: 'integration',
});

it('expires the trial on day 30 when no payment arrives, after reminders 7 and 1 days before', async () => {
  const email = 'expira@panaderia.cl';
  const handle = await startProcess(stack.env.client, stack.taskQueue, trial, email, exampleVariables(trial, { email }));

  const result = await handle.result();

  expect(result.outcome).toBe('expired');
  await recordHistory(handle, 'trial-expires-day-30');
  const state = await handle.query(stateQuery);
  const expiredAfter = enteredAfter(state, 'suspendAccount')!;
  expect(expiredAfter).toBeGreaterThanOrEqual(30 * DAY);
  expect(expiredAfter).toBeLessThan(30 * DAY + 60_000);
  expect(enteredAfter(state, 'remindWeek')).toBeGreaterThanOrEqual(23 * DAY);
  expect(enteredAfter(state, 'remindWeek')).toBeLessThan(23 * DAY + 60_000);
  expect(enteredAfter(state, 'remindDay')).toBeGreaterThanOrEqual(29 * DAY);
  expect(enteredAfter(state, 'remindDay')).toBeLessThan(29 * DAY + 60_000);
  expect(enteredAfter(state, 'checkout')).toBeUndefined();
  expect(stages(state)).toEqual(['conversion-to-account', 'opportunity-lost']);
  expect(state.stageHistory.at(-1)!.actor).toBe('system'); // the timer, nobody's action

  const row = await account(email);
  expect(row).toMatchObject({ status: 'suspended', conversion_state: 'lost', operation_state: 'restricted', payment_state: 'none' });
  expect(await db()('subscriptions').where({ account_id: row.id }).first()).toMatchObject({ status: 'lapsed', plan_code: 'trial-pyme' });
  const outbox = await db()('outbox').where({ recipient: email }).orderBy('created_at').select('template', 'payload');
  expect(outbox.map((o: { template: string; payload: { daysLeft?: number } }) => [o.template, o.payload.daysLeft])).toEqual([
    ['trial-reminder', 7],
    ['trial-reminder', 1],
    ['trial-expired', undefined],
  ]);
  expect(await db()('invoices').where({ account_id: row.id })).toHaveLength(0);
  const instance = await db()('process_instances').where({ id: handle.workflowId }).first();
  expect(instance).toMatchObject({ status: 'completed', outcome: 'expired', stage: 'opportunity-lost' });
});

it('converts the trial when the payment arrives on day 12; a repeated webhook changes nothing', async () => {
  const email = 'paga@ferreteria.cl';
  const handle = await startProcess(stack.env.client, stack.taskQueue, trial, email, exampleVariables(trial, { email, rut: '11.111.111-1' }));
  await stack.env.sleep(12 * DAY);
  await handle.signal(eventSignal, payment('tx-981', 29990));
  await handle.signal(eventSignal, payment('tx-981', 29990)); // the store's webhook retried: same event id

  const result = await handle.result();

  expect(result.outcome).toBe('converted');
  await recordHistory(handle, 'trial-paid-day-12');
  const state = await handle.query(stateQuery);
  const paidAfter = enteredAfter(state, 'checkout')!;
  expect(paidAfter).toBeGreaterThanOrEqual(12 * DAY);
  expect(paidAfter).toBeLessThan(13 * DAY);
  expect(enteredAfter(state, 'suspendAccount')).toBeUndefined();
  expect(enteredAfter(state, 'remindWeek')).toBeUndefined(); // paid before day 23
  // Planned extras never activated: paying the plan activates it (closed-won), then paid.
  expect(stages(state)).toEqual(['conversion-to-account', 'closed-won', 'paid-account']);
  // Each stage change names who caused it: the signup's starter, then the store that paid.
  expect(state.stageHistory.map((s) => s.actor)).toEqual(['test', 'integration', 'integration']);
  const recorded = await db()('audit_events').where({ instance_id: handle.workflowId, kind: 'stage.changed' }).orderBy('id').select('actor', 'details');
  expect(recorded.map((r: { actor: string; details: { stage: string } }) => `${r.details.stage} by ${r.actor}`)).toEqual([
    'conversion-to-account by test',
    'closed-won by integration',
    'paid-account by integration',
  ]);

  const row = await account(email);
  expect(row).toMatchObject({ status: 'active', conversion_state: 'converted', payment_state: 'paid', operation_state: 'operating' });
  expect(await db()('payments').where({ account_id: row.id })).toHaveLength(1);
  // Renewals are the subscription's billing workflow's (test/workflows/subscription-billing.test.ts): the
  // time-skipping server can run its first month while this test waits for the trial to end.
  const invoices = await db()('invoices').where({ account_id: row.id }).whereNot({ kind: 'renewal' });
  expect(invoices).toHaveLength(1);
  expect(invoices[0]).toMatchObject({ channel: 'Canal Digital', kind: 'first-period', amount: '29990.00' });
  const lines = await db()('invoice_lines').where({ invoice_id: invoices[0].id });
  expect(lines.map((l: { description: string; amount: string }) => [l.description, l.amount])).toEqual([['Plan trial-pyme: primer periodo', '29990.00']]);
  expect(await db()('orders').where({ account_id: row.id }).first()).toMatchObject({ kind: 'first-period', transaction_id: 'tx-981' });
});

it('bills the extras activated during the trial with the first period', async () => {
  const email = 'extras@libreria.cl';
  const handle = await startProcess(stack.env.client, stack.taskQueue, trial, email, exampleVariables(trial, { email, rut: '12.345.678-5' }));
  await stack.env.sleep(3 * DAY);
  await handle.signal(eventSignal, { name: 'servicesActivated', eventId: 'extras-1', payload: { modules: ['remuneraciones', 'inventario'] } });
  await waitForState(handle, (s) => s.stage === 'closed-won');
  const row = await account(email);
  // Activated, not yet paid: what the funnel reports as RRR won.
  expect(await db()('subscription_items').where({ account_id: row.id, status: 'activated' }).count({ n: '*' })).toEqual([{ n: '2' }]);
  await stack.env.sleep(25 * DAY); // day 28: the 7-day reminder went out, the 1-day one not yet
  await handle.signal(eventSignal, payment('tx-500', 29990 + 9990 + 7990));

  const result = await handle.result();

  expect(result.outcome).toBe('converted');
  const state = await handle.query(stateQuery);
  expect(stages(state)).toEqual(['conversion-to-account', 'closed-won', 'paid-account']);
  expect(enteredAfter(state, 'remindWeek')).toBeGreaterThanOrEqual(23 * DAY);
  expect(enteredAfter(state, 'remindDay')).toBeUndefined();
  const invoice = await db()('invoices').where({ account_id: row.id }).first();
  expect(invoice).toMatchObject({ kind: 'first-period', amount: '47970.00' });
  const lines = await db()('invoice_lines').where({ invoice_id: invoice.id }).orderBy('line_no').pluck('module_code');
  expect(lines).toEqual([null, 'inventario', 'remuneraciones']); // base plan, then modules by activation time and code
  expect(await db()('subscription_items').where({ account_id: row.id }).pluck('status')).toEqual(['paid', 'paid']);
  expect(await db()('provisioning').where({ account_id: row.id, status: 'enabled' }).pluck('code')).toEqual(expect.arrayContaining(['remuneraciones', 'inventario']));
});

it('skips conversion-to-account when the user adds no extras', async () => {
  const email = 'sinextras@taller.cl';
  const handle = await startProcess(stack.env.client, stack.taskQueue, trial, email, exampleVariables(trial, { email, rut: '9.876.543-3', addons: [] }));
  await stack.env.sleep(2 * DAY);
  await handle.signal(eventSignal, payment('tx-77', 29990));

  expect((await handle.result()).outcome).toBe('converted');
  expect(stages(await handle.query(stateQuery))).toEqual(['closed-won', 'paid-account']);
});

it('sends a payment that does not match the amount due to billing, then converts on the right one', async () => {
  const email = 'montomal@verduleria.cl';
  const handle = await startProcess(stack.env.client, stack.taskQueue, trial, email, exampleVariables(trial, { email, rut: '15.432.109-8' }));
  await stack.env.sleep(4 * DAY);
  await handle.signal(eventSignal, payment('tx-short', 1000));
  const review = await openTaskAt(handle, 'reviewPayment');
  expect(review).toMatchObject({ candidateRoles: ['billing'], title: 'Payment tx-short of 1000 could not be applied' });
  const row = await account(email);
  for (const table of ['payments', 'orders', 'invoices']) expect(await db()(table).where({ account_id: row.id })).toEqual([]);
  expect((await handle.query(stateQuery)).variables.lastError).toMatchObject({ step: 'checkout', type: 'AmountMismatch' });

  await completeStep(handle, trial, 'reviewPayment', 'refunded', { username: 'billing', roles: ['billing'] });
  await waitForState(handle, (s) => s.currentSteps.includes('awaitFirstReminder'));
  await handle.signal(eventSignal, payment('tx-right', 29990));

  expect((await handle.result()).outcome).toBe('converted');
  expect(await db()('invoices').where({ account_id: row.id }).pluck('amount')).toEqual(['29990.00']);
  expect(await db()('payments').where({ account_id: row.id }).pluck('external_reference')).toEqual(['tx-right']);
});
