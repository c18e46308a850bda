/**
 * A worker for the hand-written workflow: its own task queue, the same activities (`createActivities`)
 * wired to the same database, and the same tuning as `worker/create-worker.ts`.
 */
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createActivities } from '../../activities';
import type { CauceConfig } from '../../lib/config';

const noop = () => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error };

export async function createHandWrittenWorker({
  connection,
  config,
  db,
  taskQueue,
}: {
  connection: NativeConnection;
  config: CauceConfig;
  db: Knex;
  taskQueue: string;
}): Promise<Worker> {
  const tuning = config.temporal.worker;
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./workflows'), logger: quietLogger });
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue,
    workflowBundle,
    activities: createActivities({ db }),
    maxCachedWorkflows: tuning.maxCachedWorkflows,
    maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivityTaskExecutions,
    maxConcurrentLocalActivityExecutions: tuning.maxConcurrentActivityTaskExecutions,
    maxConcurrentWorkflowTaskExecutions: tuning.maxConcurrentWorkflowTaskExecutions,
  });
}
