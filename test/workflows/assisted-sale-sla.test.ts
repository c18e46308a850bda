/**
 * Seed 004's SLA: commercial support validates documents within 2 business days (Colombia's calendar),
 * or the task escalates. Time-skipping test server, real YAML, real activities (the calendar's too), Postgres.
 */
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { cancelSignal, stateQuery } from '../../workflows/messages';
import type { DefinitionVersion } from '../../workflows/model';
import { attachedSink, contractDocuments, verdicts } from '../support/assisted-sale';
import { recordHistory } from '../support/histories';
import { completeStep, deployDefinitions, exampleVariables, openTaskAt, startProcess, waitForState } from '../support/processes';
import { eventually } from '../support/eventually';
import { useTimeSkippingStack } from '../support/time-skipping';

const stack = useTimeSkippingStack('assisted');
let sale: DefinitionVersion;
const HOUR = 3_600_000;
const provisioning = { username: 'provisioning', roles: ['provisioning'] };
const admin = { username: 'admin', roles: ['admin'] };

beforeAll(async () => {
  sale = await (await deployDefinitions(stack.database.db))('assisted-sale');
});

/**
 * The next Friday at 10:00 in Bogotá whose Monday after is a Colombian public holiday (Colombia moves most
 * of its holidays to a Monday, so one comes within weeks), read from date-holidays itself.
 */
function fridayBeforeAHolidayMonday(now: number): number {
  const holidays = new Holidays('CO');
  let day = DateTime.fromMillis(now, { zone: 'America/Bogota' }).startOf('day').plus({ days: 1 });
  for (;;) {
    const monday = day.plus({ days: 3 });
    const holiday = holidays.isHoliday(monday.set({ hour: 12 }).toJSDate());
    if (day.weekday === 5 && holiday && holiday.some((h) => h.type === 'public')) return day.set({ hour: 10 }).toMillis();
    day = day.plus({ days: 1 });
  }
}

it('counts the document validation SLA in business days: opened on Friday before a holiday Monday, due on Wednesday, escalated then', async () => {
  await stack.env.sleep(fridayBeforeAHolidayMonday(await stack.env.currentTimeMs()) - (await stack.env.currentTimeMs()));
  const variables = exampleVariables(sale);
  // Consultant tasks are assigned to the consultant who runs the sale.
  const consultant = { username: (variables.consultant as { username: string }).username, roles: ['consultant'] };
  const handle = await startProcess(stack.env.client, stack.taskQueue, sale, 'NIT-900123456', variables);
  await completeStep(handle, sale, 'chooseTemplate', 'chosen', consultant);
  await completeStep(handle, sale, 'confirmBusinessType', 'confirmed', consultant);
  await completeStep(handle, sale, 'explainContent', 'explained', consultant);
  await completeStep(handle, sale, 'verifyClient', 'inOnyx', consultant);
  await completeStep(handle, sale, 'registerContract', 'registered', provisioning);
  await completeStep(handle, sale, 'collectDocuments', 'sent', consultant, await contractDocuments(attachedSink(stack.database.db, handle.workflowId)));
  const task = await openTaskAt(handle, 'validateDocuments');
  const row = () => stack.database.db('tasks').where({ id: task.id }).first();
  const overdueMails = () => stack.database.db('outbox').where({ template: 'document-validation-overdue', instance_id: handle.workflowId });

  // Opened on Friday at 10:00 in Bogotá: 8 working hours on Friday, none on the weekend or the holiday
  // Monday, 10 on Tuesday, 2 on Wednesday: due on Wednesday at 10:00, 5 × 24 h later (UTC-5 all year).
  const opened = DateTime.fromISO(task.createdAt, { zone: 'America/Bogota' });
  expect(opened.weekday).toBe(5);
  expect(opened.hour).toBe(10);
  expect(Date.parse(task.dueAt!) - Date.parse(task.createdAt)).toBe(120 * HOUR);
  expect(DateTime.fromISO(task.dueAt!, { zone: 'America/Bogota' }).toFormat('cccc HH:mm')).toBe('Wednesday 10:00');
  expect(new Date((await row()).due_at).toISOString()).toBe(task.dueAt);

  // Monday (the holiday) at 11:00: two calendar days have long passed, no business day has.
  await stack.env.sleep(73 * HOUR);
  expect((await row()).escalated_at).toBeNull();
  // Wednesday at 09:00: an hour of the SLA is left.
  await stack.env.sleep(46 * HOUR);
  expect((await row()).escalated_at).toBeNull();
  expect(await overdueMails()).toHaveLength(0);

  await stack.env.sleep(2 * HOUR);
  await eventually(row, (r) => r.escalated_at !== null, 'the task to escalate');
  expect((await row()).candidate_roles).toEqual(['commercial-support', 'admin']);
  expect(await overdueMails()).toHaveLength(1);
  const live = (await handle.query(stateQuery)).tasks.find((t) => t.id === task.id)!;
  expect(live).toMatchObject({ escalated: true, candidateRoles: ['commercial-support', 'admin'] });
  const audit = await stack.database.db('audit_events').where({ task_id: task.id, kind: 'task.escalated' });
  expect(audit).toHaveLength(1);

  await completeStep(handle, sale, 'validateDocuments', 'approve', admin, verdicts());
  expect((await row())).toMatchObject({ status: 'completed', outcome: 'approve', completed_by: 'admin' });
  await eventually(() => stack.database.db('work_orders').where({ instance_id: handle.workflowId }), (rows) => rows.length === 1, 'the work order');
  // Cancel once only the purchase form is open: no activity in flight, so the recorded history is stable.
  await waitForState(handle, (s) => s.currentSteps.join() === 'prepareSale,purchaseForm');
  await handle.signal(cancelSignal, { reason: 'recorded', actor: 'test' });
  await handle.result();
  await recordHistory(handle, 'assisted-sale-escalation');
});
