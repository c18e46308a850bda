/**
 * Seed 004's SLA: commercial support validates documents within 2 days, or the task escalates.
 * Time-skipping test server, real YAML, real activities, Postgres.
 */
import { cancelSignal, stateQuery } from '../../workflows/messages';
import type { DefinitionVersion } from '../../workflows/model';
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

it('escalates an overdue document validation after 2 days, and the escalated task can still be approved', async () => {
  const variables = exampleVariables(sale);
  // Consultant tasks are assigned to the consultant who runs the sale.
  const consultant = { username: (variables.consultant as { username: string }).username, roles: ['consultant'] };
  const handle = await startProcess(stack.env.client, stack.taskQueue, sale, 'NIT-900123456', variables);
  await completeStep(handle, sale, 'chooseTemplate', 'chosen', consultant);
  await completeStep(handle, sale, 'confirmBusinessType', 'confirmed', consultant);
  await completeStep(handle, sale, 'explainContent', 'explained', consultant);
  await completeStep(handle, sale, 'verifyClient', 'inOnyx', consultant);
  await completeStep(handle, sale, 'registerContract', 'registered', provisioning);
  await completeStep(handle, sale, 'collectDocuments', 'sent', consultant);
  const task = await openTaskAt(handle, 'validateDocuments');
  const row = () => stack.database.db('tasks').where({ id: task.id }).first();
  const overdueMails = () => stack.database.db('outbox').where({ template: 'document-validation-overdue', instance_id: handle.workflowId });

  await stack.env.sleep(47 * HOUR);
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

  await completeStep(handle, sale, 'validateDocuments', 'approve', admin);
  expect((await row())).toMatchObject({ status: 'completed', outcome: 'approve', completed_by: 'admin' });
  await eventually(() => stack.database.db('work_orders').where({ instance_id: handle.workflowId }), (rows) => rows.length === 1, 'the work order');
  // Cancel once only the purchase form is open: no activity in flight, so the recorded history is stable.
  await waitForState(handle, (s) => s.currentSteps.join() === 'prepareSale,purchaseForm');
  await handle.signal(cancelSignal, { reason: 'recorded', actor: 'test' });
  await handle.result();
  await recordHistory(handle, 'assisted-sale-escalation');
});
