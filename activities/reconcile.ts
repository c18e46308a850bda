/**
 * The reconcile workflow's one activity (workflows/reconcile.ts): a round of lib/reconcile.ts with
 * the worker's own Temporal client. Logs what it changed; the audit trail has each change too.
 */
import { Context } from '@temporalio/activity';
import type { Knex } from 'knex';
import pino from 'pino';
import { reconcileAll, reconcileClosedSince } from '../lib/reconcile';
import { syncTaskIncidents } from '../lib/task-incidents';

/** Visibility is eventually consistent: each round looks this far behind where the last one started. */
const OVERLAP_MS = 30_000;

export interface ReconcileActivities {
  'reconcile.round'(input: { since: string | null }): Promise<{ since: string; changed: number }>;
}

const defaultLogger = () => pino({ name: 'cauce-reconcile', level: process.env.LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'silent' : 'info') });

export function createReconcileActivities({ db, logger = defaultLogger() }: { db: Knex; logger?: pino.Logger }): ReconcileActivities {
  return {
    async 'reconcile.round'({ since }) {
      const { client, info } = Context.current();
      const started = Date.now();
      const report = since
        ? await reconcileClosedSince(db, client, new Date(since), info.taskQueue, { actor: 'reconcile' })
        : await reconcileAll(db, client, { actor: 'reconcile' });
      for (const c of report.changed) logger.warn(c, `instance ${c.id} was ${c.temporalStatus} in Temporal: now ${c.status}`);
      for (const e of report.errors) logger.warn(e, `could not reconcile instance ${e.id}`);
      for (const m of report.missing) logger.warn(m, `running instance ${m.id} has no workflow in Temporal (cauce reconcile --close-missing closes it)`);
      const incidents = await syncTaskIncidents(db, client, info.taskQueue);
      for (const id of incidents.opened) logger.warn({ incidentId: id }, 'a workflow task keeps failing: incident opened');
      return { since: new Date(started - OVERLAP_MS).toISOString(), changed: report.changed.length };
    },
  };
}
