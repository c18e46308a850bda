/**
 * A worker for a baseline workflow of the bench (hand-written, raw Temporal): its own task queue and
 * bundle, the same tuning as `worker/create-worker.ts`, and the engine's activities when it calls them.
 */
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createActivities } from '../activities';
import type { CauceConfig } from '../lib/config';

const noop = () => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error };

export async function createBaselineWorker({
  connection,
  config,
  taskQueue,
  workflowsPath,
  db,
}: {
  connection: NativeConnection;
  config: CauceConfig;
  taskQueue: string;
  workflowsPath: string;
  /** The database its activities write to; none: a workflow without activities. */
  db?: Knex;
}): Promise<Worker> {
  const tuning = config.temporal.worker;
  const workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue,
    workflowBundle,
    maxCachedWorkflows: tuning.maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: tuning.maxConcurrentWorkflowTaskExecutions,
    ...(db
      ? {
          activities: createActivities({ db }),
          maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivityTaskExecutions,
          maxConcurrentLocalActivityExecutions: tuning.maxConcurrentActivityTaskExecutions,
        }
      : {}),
  });
}
