/**
 * Seed 003's enrollment left unpaid, on the time-skipping server with the real definition and
 * activities: a consultant registered with a start kit to buy, who neither pays it nor asks for credit
 * within `kitPaymentDays`, is rejected (the registration expired) and told so; a day before, it still waits.
 */
import { personKey } from '../../domain/consultants';
import { stateQuery } from '../../workflows/messages';
import type { DefinitionVersion } from '../../workflows/model';
import { DAY, deployDefinitions, startProcess, waitForState } from '../support/processes';
import { useTimeSkippingStack } from '../support/time-skipping';

const stack = useTimeSkippingStack('consultant-kit-expiry');
let definition: DefinitionVersion;

beforeAll(async () => {
  definition = await (await deployDefinitions(stack.database.db))('consultant-enrollment');
});

it('an unpaid start kit expires the registration after kitPaymentDays', async () => {
  const { db } = stack.database;
  const person = { country: 'CO', documentType: 'CC', documentNumber: '52777888', name: 'Lucía Pardo', email: 'lucia.pardo@gmail.com', zone: 'cali-sur' };
  const handle = await startProcess(stack.env.client, stack.taskQueue, definition, personKey(person), {
    person, channel: 'corporate-site', formType: 'short', requiresApproval: false, startKit: { price: 45000, currency: 'COP' }, kitPaymentDays: 10,
  });
  const waiting = await waitForState(handle, (s) => s.currentSteps.includes('awaitKitPayment'));
  expect(waiting.stage).toBe('membership-payment');
  const { consultantId } = waiting.variables.consultant as { consultantId: string };

  await stack.env.sleep(9 * DAY);
  expect((await handle.query(stateQuery)).currentSteps).toEqual(['awaitKitPayment']);
  await stack.env.sleep(2 * DAY);
  const done = await waitForState(handle, (s) => s.status === 'completed');
  expect(done).toMatchObject({ outcome: 'expired', stage: 'rejected' });
  expect(await db('consultants').where({ id: consultantId }).first()).toMatchObject({ status: 'rejected', rejection_reason: 'start kit not paid in time' });
  expect(await db('outbox').where({ recipient: person.email }).orderBy('created_at').pluck('template')).toEqual(['registration-expired']);
});
