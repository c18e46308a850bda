/** Starts the outbox drainer workflow unless it already runs (npm start and worker/main.ts call this). */
import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import { OUTBOX_DELIVERY_WORKFLOW, type OutboxDeliveryInput } from '../workflows/outbox-delivery';
import type { CauceConfig } from './config';

export const OUTBOX_DELIVERY_ID = 'cauce-outbox-delivery';

export async function ensureOutboxDelivery(client: Client, config: CauceConfig, input: OutboxDeliveryInput = { batchSize: 100, idleMs: 10_000 }): Promise<void> {
  await client.workflow.start(OUTBOX_DELIVERY_WORKFLOW, {
    workflowId: OUTBOX_DELIVERY_ID,
    taskQueue: config.temporal.taskQueue,
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });
}
