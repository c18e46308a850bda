/**
 * Freemium accounts and their upgrades on the time-skipping test server (real YAML, activities, Postgres):
 * a freemium account never expires; upgrades open a 30-day window to pay the renewal.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { eventSignal, stateQuery } from '../../workflows/messages';
import type { DefinitionVersion } from '../../workflows/model';
import { recordHistory } from '../support/histories';
import { DAY, deployDefinitions, enteredAfter, exampleVariables, startProcess, waitForState } from '../support/processes';
import { useTimeSkippingStack } from '../support/time-skipping';

const stack = useTimeSkippingStack('freemium');
let freemium: DefinitionVersion;
let upgrade: DefinitionVersion;

beforeAll(async () => {
  const definition = await deployDefinitions(stack.database.db);
  freemium = await definition('freemium-account');
  upgrade = await definition('account-upgrade');
});

const db = () => stack.database.db;

async function freemiumAccount(email: string, rut: string): Promise<{ id: string; email: string; rut: string; name: string }> {
  const handle = await startProcess(stack.env.client, stack.taskQueue, freemium, email, exampleVariables(freemium, { email, rut }));
  expect((await handle.result()).outcome).toBe('active');
  return db()('accounts').where({ email }).first();
}

function startUpgrade(account: { id: string; email: string; rut: string; name: string }, modules: string[]) {
  return startProcess(stack.env.client, stack.taskQueue, upgrade, `upgrade-${account.email}`, {
    accountId: account.id, modules, email: account.email, rut: account.rut, name: account.name,
  });
}

const payment = (transactionId: string, amount: number) => ({
  name: 'payment', eventId: `webhook-${transactionId}`, payload: { amount, currency: 'CLP', method: 'webpay', transactionId },
});

it('never expires a freemium account', async () => {
  const account = await freemiumAccount('gratis@almacen.cl', '76.086.428-5');
  expect(account).toMatchObject({ kind: 'freemium', status: 'active', conversion_state: 'freemium', base_price: '0.00', trial_ends_at: null });

  await stack.env.sleep(400 * DAY);

  expect(await db()('accounts').where({ id: account.id }).first()).toMatchObject({ status: 'active', conversion_state: 'freemium' });
  expect(await db()('status_changes').where({ entity_id: account.id })).toEqual([]);
  expect(await db()('subscriptions').where({ account_id: account.id }).first()).toMatchObject({ status: 'free', base_price: '0.00' });
});

it('bills an upgrade paid inside the 30-day window: the first invoice makes a customer, the next one is MRR', async () => {
  const account = await freemiumAccount('sube@botilleria.cl', '11.111.111-1');
  await stack.env.sleep(5 * DAY);
  const first = await startUpgrade(account, ['remuneraciones', 'usuarios-extra']);
  await waitForState(first, (s) => s.currentSteps.includes('awaitPayment'));
  // The account stays usable while the renewal is pending, with the modules provisioned.
  expect(await db()('accounts').where({ id: account.id }).first()).toMatchObject({ status: 'active', payment_state: 'pending' });
  expect(await db()('provisioning').where({ account_id: account.id, status: 'enabled' }).pluck('code')).toEqual(
    expect.arrayContaining(['remuneraciones', 'usuarios-extra']),
  );
  await stack.env.sleep(20 * DAY);
  await first.signal(eventSignal, payment('tx-up-1', 9990 + 4990));

  expect((await first.result()).outcome).toBe('paid');
  await recordHistory(first, 'freemium-upgrade-paid-in-window');
  const paidState = await first.query(stateQuery);
  expect(paidState.stageHistory.map((s) => s.stage)).toEqual(['closed-won', 'paid-account']);
  expect(enteredAfter(paidState, 'revokeUnpaid')).toBeUndefined();
  const invoice = await db()('invoices').where({ account_id: account.id }).first();
  expect(invoice).toMatchObject({ kind: 'first-period', amount: '14980.00', channel: 'Canal Digital' });
  expect(await db()('accounts').where({ id: account.id }).first()).toMatchObject({ conversion_state: 'converted', payment_state: 'paid', renewal_due_at: null });

  // A later upgrade of the paying customer: an upgrade invoice (MRR collected), no new funnel stages.
  const second = await startUpgrade(account, ['inventario']);
  await stack.env.sleep(2 * DAY);
  await second.signal(eventSignal, payment('tx-up-2', 7990));
  expect((await second.result()).outcome).toBe('paid');
  expect((await second.query(stateQuery)).stageHistory).toEqual([]);
  // Renewals (recurring billing, from the first payment on) are left out: the time skipped here can bill one.
  const kinds = await db()('invoices').where({ account_id: account.id }).whereNot({ kind: 'renewal' }).orderBy('number').pluck('kind');
  expect(kinds).toEqual(['first-period', 'upgrade']);
});

it('revokes an upgrade not paid in the 30-day window; a later payment finds no process to bill it', async () => {
  const account = await freemiumAccount('tarde@kiosko.cl', '12.345.678-5');
  const handle = await startUpgrade(account, ['factura-plus']);
  await waitForState(handle, (s) => s.currentSteps.includes('awaitPayment'));
  await stack.env.sleep(10 * DAY);
  await handle.signal(eventSignal, { name: 'modulesAdded', eventId: 'more-1', payload: { modules: ['inventario'] } });

  expect((await handle.result()).outcome).toBe('lapsed');
  await recordHistory(handle, 'freemium-upgrade-lapsed');
  const state = await handle.query(stateQuery);
  const lapsedAfter = enteredAfter(state, 'revokeUnpaid')!;
  // The window runs from the first upgrade; the modules added on day 10 do not extend it.
  expect(lapsedAfter).toBeGreaterThanOrEqual(30 * DAY);
  expect(lapsedAfter).toBeLessThan(30 * DAY + 60_000);
  const items = await db()('subscription_items').where({ account_id: account.id }).orderBy('module_code');
  expect(items.map((i: { module_code: string; status: string }) => [i.module_code, i.status])).toEqual([
    ['factura-plus', 'revoked'],
    ['inventario', 'revoked'],
  ]);
  expect(await db()('provisioning').where({ account_id: account.id, status: 'disabled' }).pluck('code')).toEqual(
    expect.arrayContaining(['factura-plus', 'inventario']),
  );
  // Back on the free base plan, still usable.
  expect(await db()('accounts').where({ id: account.id }).first()).toMatchObject({ status: 'active', payment_state: 'none', renewal_due_at: null });

  await stack.env.sleep(2 * DAY);
  await expect(handle.signal(eventSignal, payment('tx-late', 13980))).rejects.toThrow(WorkflowNotFoundError);
  expect(await db()('invoices').where({ account_id: account.id })).toEqual([]);
  expect(await db()('payments').where({ account_id: account.id })).toEqual([]);
});
