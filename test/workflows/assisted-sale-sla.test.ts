/**
 * Seed 004's SLA: commercial support validates documents within 2 days, or the task escalates.
 * Time-skipping test server, real YAML, real activities, Postgres.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { workflowBundle } from '../../worker/bundle';
import { cancelSignal, stateQuery } from '../../workflows/messages';
import type { DefinitionVersion } from '../../workflows/model';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { completeStep, deployDefinitions, exampleVariables, openTaskAt, startProcess, waitForState } from '../support/processes';
import { recordHistory } from '../support/histories';
import { createTimeSkippingEnv, quietWorkerLogs, uniqueTaskQueue } from '../support/servers';

let env: TestWorkflowEnvironment;
let database: FreshDatabase;
let sale: DefinitionVersion;
let worker: Worker;
let running: Promise<void>;
const taskQueue = uniqueTaskQueue('assisted');
const HOUR = 3_600_000;
const provisioning = { username: 'provisioning', roles: ['provisioning'] };
const admin = { username: 'admin', roles: ['admin'] };

beforeAll(async () => {
  quietWorkerLogs();
  env = await createTimeSkippingEnv();
  database = await freshDatabase();
  sale = await (await deployDefinitions(database.db))('assisted-sale');
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

it('escalates an overdue document validation after 2 days, and the escalated task can still be approved', async () => {
  const variables = exampleVariables(sale);
  // Consultant tasks are assigned to the consultant who runs the sale.
  const consultant = { username: (variables.consultant as { username: string }).username, roles: ['consultant'] };
  const handle = await startProcess(env.client, taskQueue, sale, 'NIT-900123456', variables);
  await completeStep(handle, sale, 'chooseTemplate', 'chosen', consultant);
  await completeStep(handle, sale, 'confirmBusinessType', 'confirmed', consultant);
  await completeStep(handle, sale, 'explainContent', 'explained', consultant);
  await completeStep(handle, sale, 'verifyClient', 'inOnyx', consultant);
  await completeStep(handle, sale, 'registerContract', 'registered', provisioning);
  await completeStep(handle, sale, 'collectDocuments', 'sent', consultant);
  const task = await openTaskAt(handle, 'validateDocuments');
  const row = () => database.db('tasks').where({ id: task.id }).first();
  const overdueMails = () => database.db('outbox').where({ template: 'document-validation-overdue', instance_id: handle.workflowId });

  await env.sleep(47 * HOUR);
  expect((await row()).escalated_at).toBeNull();
  expect(await overdueMails()).toHaveLength(0);

  await env.sleep(2 * HOUR);
  await waitFor(async () => (await row()).escalated_at !== null);
  expect((await row()).candidate_roles).toEqual(['commercial-support', 'admin']);
  expect(await overdueMails()).toHaveLength(1);
  const live = (await handle.query(stateQuery)).tasks.find((t) => t.id === task.id)!;
  expect(live).toMatchObject({ escalated: true, candidateRoles: ['commercial-support', 'admin'] });
  const audit = await database.db('audit_events').where({ task_id: task.id, kind: 'task.escalated' });
  expect(audit).toHaveLength(1);

  await completeStep(handle, sale, 'validateDocuments', 'approve', admin);
  expect((await row())).toMatchObject({ status: 'completed', outcome: 'approve', completed_by: 'admin' });
  await waitFor(async () => (await database.db('work_orders').where({ instance_id: handle.workflowId })).length === 1);
  // Cancel once only the purchase form is open: no activity in flight, so the recorded history is stable.
  await waitForState(handle, (s) => s.currentSteps.join() === 'prepareSale,purchaseForm');
  await handle.signal(cancelSignal, { reason: 'recorded', actor: 'test' });
  await handle.result();
  await recordHistory(handle, 'assisted-sale-escalation');
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
