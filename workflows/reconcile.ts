/**
 * Keeps the Postgres projection following Temporal (lib/reconcile.ts): every `intervalMs` the
 * activity closes the rows of workflows Temporal closed since the last round; the first round of each
 * run compares every running row. Started once per task queue with a fixed id
 * (lib/reconcile-job.ts), so restarts and extra workers never start a second one.
 */
import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import type { ReconcileActivities } from '../activities/reconcile';

export const RECONCILE_WORKFLOW = 'reconcileInstances';

export interface ReconcileJobInput {
  intervalMs: number;
  /** Where the last round got to (ISO time); null: compare every running row. */
  since: string | null;
}

const { 'reconcile.round': round } = proxyActivities<ReconcileActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5s', maximumInterval: '1 minute' },
});

/** Rounds per run: each is a few events, so a run stays far below the history limits. */
const ROUNDS_PER_RUN = 120;

export async function reconcileInstances(input: ReconcileJobInput): Promise<void> {
  let since = input.since;
  for (let i = 0; i < ROUNDS_PER_RUN; i++) {
    ({ since } = await round({ since }));
    await sleep(input.intervalMs);
  }
  // A full comparison again at the start of the next run: it catches what visibility no longer lists.
  await continueAsNew<typeof reconcileInstances>({ ...input, since: null });
}
