import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { publicUrlOf, type CauceConfig } from '../lib/config';
import { createGateways } from '../lib/payments/gateways';
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
    // The same functions serve both kinds of call: the interpreter's bookkeeping runs them as local
    // activities (in this worker, inside the workflow task), business steps as regular ones.
    activities: createActivities({ publicUrl: publicUrlOf(config), gateway: createGateways(config.payments).opening, ...activityDeps }),
    maxCachedWorkflows: tuning.maxCachedWorkflows,
    maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivityTaskExecutions,
    // Both kinds write through the same connection pool, so they share one bound.
    maxConcurrentLocalActivityExecutions: tuning.maxConcurrentActivityTaskExecutions,
    maxConcurrentWorkflowTaskExecutions: tuning.maxConcurrentWorkflowTaskExecutions,
  });
}
