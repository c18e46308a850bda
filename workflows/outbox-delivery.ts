/**
 * One long-running workflow drains the outbox: it asks the activity to deliver a batch, sleeps when
 * nothing is left, and continues as new before its history grows. Started once per namespace with a
 * fixed id (lib/outbox-delivery.ts), so restarts and extra workers never start a second drainer.
 */
import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import type { OutboxActivities } from '../activities/outbox';

export const OUTBOX_DELIVERY_WORKFLOW = 'outboxDelivery';

export interface OutboxDeliveryInput {
  batchSize: number;
  /** How long to wait when the outbox is empty. */
  idleMs: number;
}

const { 'outbox.deliverPending': deliverPending } = proxyActivities<OutboxActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5s', maximumInterval: '1 minute' },
});

/** Rounds per run: each is a few events, so a run stays far below the history limits. */
const ROUNDS_PER_RUN = 200;

export async function outboxDelivery(input: OutboxDeliveryInput): Promise<void> {
  for (let round = 0; round < ROUNDS_PER_RUN; round++) {
    const { remaining, sent } = await deliverPending({ limit: input.batchSize });
    // Messages that failed stay pending: pause instead of spinning on a broken transport.
    if (remaining === 0 || sent === 0) await sleep(input.idleMs);
  }
  await continueAsNew<typeof outboxDelivery>(input);
}
