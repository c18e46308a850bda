/** Starts the reconcile workflow (workflows/reconcile.ts) unless it already runs; worker/main.ts calls this. */
import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import { RECONCILE_WORKFLOW, type ReconcileJobInput } from '../workflows/reconcile';
import type { CauceConfig } from './config';

/** One per task queue: the queue's workers share one database (tests give each file a queue and a database). */
export const reconcileJobId = (taskQueue: string) => `cauce-reconcile/${taskQueue}`;

export async function ensureReconcileJob(client: Client, config: CauceConfig, options: { taskQueue?: string; intervalMs?: number } = {}): Promise<void> {
  const taskQueue = options.taskQueue ?? config.temporal.taskQueue;
  const input: ReconcileJobInput = { intervalMs: options.intervalMs ?? 5_000, since: null };
  await client.workflow.start(RECONCILE_WORKFLOW, {
    workflowId: reconcileJobId(taskQueue),
    taskQueue,
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });
}
