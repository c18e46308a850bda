/**
 * Seed 001's support ticket left unanswered by the customer, on the time-skipping server with the real
 * definition and activities: support replies, and five business days (Colombian calendar) without the
 * customer's answer close it.
 */
import { randomUUID } from 'node:crypto';
import { businessTimeBetween } from '../../domain/calendar';
import { calendarCatalog } from '../../lib/definitions/calendars';
import { stateQuery } from '../../workflows/messages';
import type { DefinitionVersion } from '../../workflows/model';
import { portalCustomer } from '../support/portal';
import { DAY, completeStep, deployDefinitions, startProcess, waitForState } from '../support/processes';
import { useTimeSkippingStack } from '../support/time-skipping';

const stack = useTimeSkippingStack('ticket-unanswered');
let definition: DefinitionVersion;

beforeAll(async () => {
  definition = await (await deployDefinitions(stack.database.db))('support-ticket');
});

it('five business days without the customer\'s answer close the ticket', async () => {
  const { db } = stack.database;
  const customer = await portalCustomer(db, 'ticket-silent');
  const ticketId = randomUUID();
  const handle = await startProcess(stack.env.client, stack.taskQueue, definition, ticketId, { ticketId, customerId: customer.customerId, subject: 'Clave olvidada', body: 'No recuerdo la clave del usuario admin.', openedVia: 'portal' });
  await completeStep(handle, definition, 'attend', 'reply', { username: 'sofia', roles: ['support'] }, { message: 'Te enviamos un enlace para restablecerla.' });
  const waiting = await waitForState(handle, (s) => s.currentSteps.includes('awaitCustomer'));
  expect(waiting.stage).toBe('waiting-customer');
  const repliedAt = Date.parse(waiting.trail.find((v) => v.stepId === 'awaitCustomer')!.enteredAt);

  await stack.env.sleep(3 * DAY);
  expect((await handle.query(stateQuery)).currentSteps).toEqual(['awaitCustomer']);
  await stack.env.sleep(7 * DAY);
  expect(await handle.result()).toMatchObject({ status: 'completed', outcome: 'closed-unanswered' });
  const ticket = await db('tickets').where({ id: ticketId }).first();
  expect(ticket).toMatchObject({ status: 'closed', close_reason: 'no answer from the customer in 5 business days' });
  // Closed at the end of the fifth business day's worth of working hours, not of calendar days.
  const co = calendarCatalog().find((c) => c.id === 'CO')!;
  const closedAt = Date.parse((await handle.query(stateQuery)).trail.find((v) => v.stepId === 'closeUnanswered')!.enteredAt);
  const waited = businessTimeBetween(co, repliedAt, closedAt);
  expect(waited).toBeGreaterThanOrEqual(5 * 10 * 3_600_000);
  expect(waited).toBeLessThan(5 * 10 * 3_600_000 + 1000);
});
