/** A worker for the raw Temporal workflow: its own task queue, no activities, the same tuning as `worker/create-worker.ts`. */
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import type { CauceConfig } from '../../lib/config';

const noop = () => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error };

export async function createRawWorker({ connection, config, taskQueue }: { connection: NativeConnection; config: CauceConfig; taskQueue: string }): Promise<Worker> {
  const tuning = config.temporal.worker;
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./workflows'), logger: quietLogger });
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue,
    workflowBundle,
    maxCachedWorkflows: tuning.maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: tuning.maxConcurrentWorkflowTaskExecutions,
  });
}
