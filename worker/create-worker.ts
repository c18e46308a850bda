import { NativeConnection, Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createActivities } from '../activities';
import type { CauceConfig } from '../lib/config';
import { workflowBundle } from './bundle';

export interface WorkerDeps {
  connection: NativeConnection;
  config: CauceConfig;
  db: Knex;
  /** Overrides config.temporal.taskQueue (tests give each file its own queue). */
  taskQueue?: string;
}

/** The only place real dependencies are wired into activities. */
export async function createWorker({ connection, config, db, taskQueue }: WorkerDeps): Promise<Worker> {
  const tuning = config.temporal.worker;
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: taskQueue ?? config.temporal.taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities({ db }),
    maxCachedWorkflows: tuning.maxCachedWorkflows,
    maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivityTaskExecutions,
    maxConcurrentWorkflowTaskExecutions: tuning.maxConcurrentWorkflowTaskExecutions,
  });
}
