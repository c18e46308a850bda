/**
 * The outbox drainer's settings and state: starting it (npm start and worker/main.ts), how often a
 * message is tried, and the backlog /healthz reports.
 */
import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { OUTBOX_DELIVERY_WORKFLOW, type OutboxDeliveryInput } from '../workflows/outbox-delivery';
import type { CauceConfig } from './config';

export const OUTBOX_DELIVERY_ID = 'cauce-outbox-delivery';

/** A message that keeps failing stops being retried after this many attempts; it stays visible with its last error. */
export const MAX_DELIVERY_ATTEMPTS = 10;

export interface OutboxBacklog {
  /** Waiting to be sent (including those failing). */
  pending: number;
  /** Tried and failed at least once, still retried. */
  failing: number;
  /** Failed MAX_DELIVERY_ATTEMPTS times: no longer tried. */
  givenUp: number;
}

export async function outboxBacklog(db: Knex): Promise<OutboxBacklog> {
  const [row] = await db('outbox')
    .where({ status: 'pending' })
    .select(
      db.raw('count(*) filter (where attempts < ?)::int as pending', [MAX_DELIVERY_ATTEMPTS]),
      db.raw('count(*) filter (where attempts > 0 and attempts < ?)::int as failing', [MAX_DELIVERY_ATTEMPTS]),
      db.raw('count(*) filter (where attempts >= ?)::int as "givenUp"', [MAX_DELIVERY_ATTEMPTS]),
    );
  return row as OutboxBacklog;
}

export async function ensureOutboxDelivery(client: Client, config: CauceConfig, input: OutboxDeliveryInput = { batchSize: 100, idleMs: 10_000 }): Promise<void> {
  await client.workflow.start(OUTBOX_DELIVERY_WORKFLOW, {
    workflowId: OUTBOX_DELIVERY_ID,
    taskQueue: config.temporal.taskQueue,
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });
}
