/**
 * The setup every time-skipping workflow test shares: a time-skipping server, a private database and a
 * worker running the real interpreter and activities on its own task queue. Registers its own
 * beforeAll/afterAll; declare it before the test file's own hooks, which can then use it.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities';
import { workflowBundle } from '../../worker/bundle';
import { freshDatabase, type FreshDatabase } from './database';
import { createTimeSkippingEnv, quietWorkerLogs, uniqueTaskQueue } from './servers';

export interface TimeSkippingStack {
  env: TestWorkflowEnvironment;
  database: FreshDatabase;
  taskQueue: string;
}

/** `activities`: what the worker's activities get besides the database (a payment gateway…). */
export function useTimeSkippingStack(prefix: string, activities: Omit<ActivityDeps, 'db'> = {}): TimeSkippingStack {
  const stack = { taskQueue: uniqueTaskQueue(prefix) } as TimeSkippingStack;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;

  beforeAll(async () => {
    quietWorkerLogs();
    stack.env = await createTimeSkippingEnv();
    stack.database = await freshDatabase();
    worker = await Worker.create({
      connection: stack.env.nativeConnection,
      taskQueue: stack.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities({ ...activities, db: stack.database.db }),
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await stack.database?.drop();
    await stack.env?.teardown();
  });

  return stack;
}
