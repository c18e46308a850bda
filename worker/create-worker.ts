import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import type { CauceConfig } from '../lib/config';
import { workflowBundle } from './bundle';

/** The connection and configuration, plus what the activities are built from (ActivityDeps: db, crms, transport). */
export interface WorkerDeps extends ActivityDeps {
  connection: NativeConnection;
  config: CauceConfig;
  /** Overrides config.temporal.taskQueue (tests give each file its own queue). */
  taskQueue?: string;
}

/** The only place real dependencies are wired into activities. */
export async function createWorker({ connection, config, taskQueue, ...activityDeps }: WorkerDeps): Promise<Worker> {
  const tuning = config.temporal.worker;
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: taskQueue ?? config.temporal.taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities(activityDeps),
    maxCachedWorkflows: tuning.maxCachedWorkflows,
    maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivityTaskExecutions,
    maxConcurrentWorkflowTaskExecutions: tuning.maxConcurrentWorkflowTaskExecutions,
  });
}
