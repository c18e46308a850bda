/**
 * Business time in a running instance, on the time-skipping server with the real calendar activity:
 * the calendar comes from an instance variable (`calendar: "=country"`), a task's SLA and a wait's
 * timer are counted in working time, and a variable naming no calendar stops the step at an incident.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { deployDefinition } from '../../lib/definitions/store';
import { completeTaskUpdate, stateQuery } from '../../workflows/messages';
import type { DefinitionVersion } from '../../workflows/model';
import { eventually } from '../support/eventually';
import { openTaskAt, startProcess, waitForState } from '../support/processes';
import { useTimeSkippingStack } from '../support/time-skipping';

const stack = useTimeSkippingStack('calendar');
const FIXTURE = path.join(__dirname, '../fixtures/processes/calendar-per-instance.yaml');
const HOUR = 3_600_000;
let definition: DefinitionVersion;

beforeAll(async () => {
  definition = (await deployDefinition(stack.database.db, readFileSync(FIXTURE, 'utf8'), FIXTURE, 'test')).version;
});

/** The next Monday–Thursday, 09:00 in Bogotá, when that day and the next are Colombian working days (date-holidays). */
function workingMorningBeforeAWorkingDay(now: number): number {
  const holidays = new Holidays('CO');
  const isPublicHoliday = (d: DateTime) => (holidays.isHoliday(d.set({ hour: 12 }).toJSDate()) || []).some((h) => h.type === 'public');
  let day = DateTime.fromMillis(now, { zone: 'America/Bogota' }).startOf('day').plus({ days: 1 });
  while (day.weekday > 4 || isPublicHoliday(day) || isPublicHoliday(day.plus({ days: 1 }))) day = day.plus({ days: 1 });
  return day.set({ hour: 9 }).toMillis();
}

it('counts a task SLA and a timer in working time on the calendar the instance names', async () => {
  await stack.env.sleep(workingMorningBeforeAWorkingDay(await stack.env.currentTimeMs()) - (await stack.env.currentTimeMs()));
  const handle = await startProcess(stack.env.client, stack.taskQueue, definition, 'co-1', { country: 'CO' });
  const task = await openTaskAt(handle, 'call');
  // 09:00 + 4 business hours: 13:00 the same working day.
  expect(Date.parse(task.dueAt!) - Date.parse(task.createdAt)).toBe(4 * HOUR);
  expect(DateTime.fromISO(task.dueAt!, { zone: 'America/Bogota' }).toFormat('HH:mm')).toBe('13:00');

  await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, outcome: 'done', data: {}, actor: { username: 'ana', roles: ['consultant'] } }] });
  const waiting = await waitForState(handle, (s) => s.currentSteps.includes('cooling'));
  const enteredCooling = Date.parse(waiting.trail.find((v) => v.stepId === 'cooling')!.enteredAt);
  // 1 business day from 09:00 on a working day: 09:00 on the next one, which is also working.
  await stack.env.sleep(23 * HOUR);
  expect((await handle.query(stateQuery)).currentSteps).toEqual(['cooling']);
  await stack.env.sleep(2 * HOUR);
  expect(await handle.result()).toMatchObject({ status: 'completed', outcome: 'done' });
  // The timer fired at its deadline (the end step is entered in the activation the timer wakes).
  const ended = await handle.query(stateQuery);
  const waited = Date.parse(ended.trail.find((v) => v.stepId === 'done')!.enteredAt) - enteredCooling;
  expect(waited).toBeGreaterThanOrEqual(24 * HOUR);
  expect(waited).toBeLessThan(24 * HOUR + 1000);
});

it('a variable naming an unknown calendar stops the step at an incident, and the instance keeps running', async () => {
  const handle = await startProcess(stack.env.client, stack.taskQueue, definition, 'xx-1', { country: 'XX' });
  const state = await waitForState(handle, (s) => (s.incidents ?? []).length > 0);
  expect(state.status).toBe('running');
  expect(state.incidents?.[0]).toMatchObject({
    stepId: 'call',
    type: 'UnknownCalendar',
    message: expect.stringContaining("step \"call\" dueIn: unknown calendar 'XX' (definitions/calendars.yaml has CO, CL, BO)"),
  });
  const row = await eventually(
    () => stack.database.db('incidents').where({ instance_id: state.instanceId }).first(),
    (r) => r !== undefined,
    'the incident row',
  );
  expect(row).toMatchObject({ step_id: 'call', type: 'UnknownCalendar' });
  expect(state.tasks).toHaveLength(0);
});
