/**
 * The lead funnel's timers on the time-skipping test server, with the real YAML, activities and Postgres:
 * an unanswered first contact escalates after a day; a proposal without an account for 30 days is lost.
 */
import { ensureOpportunity } from '../../api/opportunities/store';
import { eventSignal, stateQuery } from '../../workflows/messages';
import type { DefinitionVersion } from '../../workflows/model';
import { completeStep, DAY, deployDefinitions, enteredAfter, exampleVariables, openTaskAt, startProcess, waitForState } from '../support/processes';
import { useTimeSkippingStack } from '../support/time-skipping';

const stack = useTimeSkippingStack('digital-opportunity');
let funnel: DefinitionVersion;
const sales = { username: 'sales', roles: ['sales'] };

beforeAll(async () => {
  funnel = await (await deployDefinitions(stack.database.db))('digital-opportunity');
});

async function opportunity(email: string) {
  const { opportunityId } = await ensureOpportunity(stack.database.db, { email, name: 'Lead', channel: 'landing', sourceDetail: 'form', actor: 'test' });
  const variables = exampleVariables(funnel, { opportunityId, contact: { email, name: 'Lead' } });
  return { opportunityId, handle: await startProcess(stack.env.client, stack.taskQueue, funnel, opportunityId, variables) };
}

it('loses the opportunity 30 days after the proposal when no account is created', async () => {
  const { opportunityId, handle } = await opportunity('sin.cuenta@ferreteria.cl');
  await completeStep(handle, funnel, 'firstContact', 'contacted', sales);
  await completeStep(handle, funnel, 'deliverProposal', 'delivered', sales);
  const waiting = await waitForState(handle, (s) => s.currentSteps.includes('awaitAccount'));

  const result = await handle.result();

  expect(result.outcome).toBe('lost');
  const state = await handle.query(stateQuery);
  const lostAfter = enteredAfter(state, 'markLost')! - enteredAfter(waiting, 'awaitAccount')!;
  expect(lostAfter).toBeGreaterThanOrEqual(30 * DAY);
  expect(lostAfter).toBeLessThan(30 * DAY + 60_000);
  expect(state.stageHistory.map((s) => s.stage)).toEqual(['opportunity-assigned', 'opportunity-contacted', 'digital-proposal-delivered', 'opportunity-lost']);
  expect(await stack.database.db('opportunities').where({ id: opportunityId }).first()).toMatchObject({
    status: 'lost', lost_reason: 'No account created within 30 days of the proposal',
  });
});

it('escalates a first contact still open after a day, and tells the digital sales inbox', async () => {
  const { opportunityId, handle } = await opportunity('sin.contacto@ferreteria.cl');
  await openTaskAt(handle, 'firstContact');
  // The notice names whoever round-robin picked for this lead (which depends on the leads before it).
  const { owner_id: ownerId } = await stack.database.db('opportunities').where({ id: opportunityId }).first('owner_id');
  expect(await stack.database.db('owner_assignments').where({ entity: 'opportunity', entity_id: opportunityId })).toEqual([
    expect.objectContaining({ owner_id: ownerId, assigned_by: 'round-robin' }),
  ]);
  const { name: ownerName } = await stack.database.db('owners').where({ id: ownerId }).first('name');

  await stack.env.sleep(DAY + 60_000);

  const state = await waitForState(handle, (s) => s.tasks.some((t) => t.stepId === 'firstContact' && t.escalated));
  expect(state.tasks.find((t) => t.stepId === 'firstContact')).toMatchObject({ candidateRoles: ['sales', 'dcs', 'admin'], escalated: true });
  const [notice] = await stack.database.db('outbox').where({ instance_id: handle.workflowId, template: 'opportunity-contact-overdue' });
  expect(notice).toMatchObject({ recipient: 'ventas-digitales@cauce.example' });
  expect(notice.payload).toMatchObject({ opportunityId, contact: 'sin.contacto@ferreteria.cl', owner: ownerName });

  // The task stays open after the SLA: the owner can still work it.
  await completeStep(handle, funnel, 'firstContact', 'notInterested', sales, { medium: 'email' });
  expect((await handle.result()).outcome).toBe('lost');
  expect((await stack.database.db('opportunities').where({ id: opportunityId }).first()).lost_reason).toBe('Not interested at first contact');
});

it('withdraws the open sales task when the lead signs up first, and hands the sale over', async () => {
  const { opportunityId, handle } = await opportunity('se.adelanto@ferreteria.cl');
  const { id: taskId } = await openTaskAt(handle, 'firstContact');
  const accountId = '5b0c7a53-3f4e-4d55-9f59-9a1f0c2b7d11';
  await stack.database.db('accounts').insert({
    id: accountId, email: 'se.adelanto@ferreteria.cl', rut: '76086428-5', name: 'Lead', plan_code: 'freemium', kind: 'freemium',
    status: 'active', channel: 'landing', idempotency_key: `test:${accountId}`,
  });
  await handle.signal(eventSignal, { name: 'accountCreated', eventId: `account-created:${accountId}`, payload: { accountId }, actor: 'integration' });

  const result = await handle.result();

  expect(result.outcome).toBe('converted');
  const state = await handle.query(stateQuery);
  expect(state.tasks).toEqual([]);
  expect(state.stageHistory.map((s) => s.stage)).toEqual(['opportunity-assigned']);
  expect(enteredAfter(state, 'deliverProposal')).toBeUndefined();
  expect(await stack.database.db('tasks').where({ id: taskId }).first()).toMatchObject({
    status: 'cancelled', cancel_reason: 'event accountCreated: moved on to handOver',
  });
  expect(await stack.database.db('opportunities').where({ id: opportunityId }).first()).toMatchObject({ status: 'open', account_id: accountId });
});
