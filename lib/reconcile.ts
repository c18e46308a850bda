/**
 * One truth for status: Temporal's. The `process_instances` projection is written by the interpreter,
 * so a workflow closed behind its back (`temporal workflow terminate`, an execution timeout, a failure
 * the interpreter never saw) would stay `running` there, listing its tasks and holding its business
 * key. Reconciliation compares `running` rows with Temporal and closes the ones Temporal has closed,
 * with Temporal's status and reason (lib/instance-finish.ts), reporting each change.
 *
 * Used by `POST /api/admin/reconcile` (`cauce reconcile`, every running row) and by the worker's
 * `reconcileInstances` workflow (workflows/reconcile.ts: every few seconds, the workflows Temporal's
 * visibility lists as closed since the last round, and every running row once per run).
 */
import { WorkflowFailedError, type Client, type WorkflowExecutionStatusName } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Knex } from 'knex';
import { finishInstanceRow, type ClosedStatus } from './instance-finish';
import { chainStatus, instanceHandle, type InstanceRef } from './temporal';

export interface ReconcileChange {
  id: string;
  definitionId: string;
  businessKey: string;
  /** Temporal's status of the workflow's latest run, e.g. TERMINATED. */
  temporalStatus: WorkflowExecutionStatusName;
  status: ClosedStatus;
  outcome: string | null;
  reason: string | null;
  /** Open tasks withdrawn from the inbox. */
  cancelledTasks: string[];
}

/** A running row with no workflow in Temporal: never started (the start failed half-way) or gone past retention. */
export interface MissingWorkflow {
  id: string;
  definitionId: string;
  businessKey: string;
  /** Whether this call closed it as failed (`closeMissing`). */
  closed: boolean;
}

export interface ReconcileReport {
  /** Running rows compared with Temporal. */
  checked: number;
  changed: ReconcileChange[];
  missing: MissingWorkflow[];
  /** Rows Temporal could not be asked about this time (they stay as they are). */
  errors: Array<{ id: string; message: string }>;
}

export interface ReconcileOptions {
  /** Recorded as the actor of each change; default `system`. */
  actor?: string;
  /** Close running rows whose workflow Temporal does not know as `failed` (default: only report them). */
  closeMissing?: boolean;
  /** A row this young may be one whose workflow the API is starting right now: never "missing". */
  startGraceMs?: number;
  /** Temporal calls in flight at once. */
  concurrency?: number;
}

interface RunningRow {
  id: string;
  workflow_id: string;
  definition_id: string;
  business_key: string;
  started_at: Date;
}

const PAGE = 500;
const RESULT_TIMEOUT_MS = 3_000;

const CLOSED: Partial<Record<WorkflowExecutionStatusName, ClosedStatus>> = {
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed_out',
};
const CLOSED_BY_INTERPRETER = new Set<string>(['completed', 'cancelled', 'failed']);

/** Every running row, compared with Temporal. */
export async function reconcileAll(db: Knex, client: Client, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const report: ReconcileReport = { checked: 0, changed: [], missing: [], errors: [] };
  // Keyset pages by id: rows closed meanwhile drop out without shifting the pages.
  for (let after = ''; ; ) {
    const rows: RunningRow[] = await db('process_instances')
      .where({ status: 'running' })
      .andWhere('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .select('id', 'workflow_id', 'definition_id', 'business_key', 'started_at');
    await reconcileRows(db, client, rows, options, report);
    if (rows.length < PAGE) return report;
    after = rows[rows.length - 1].id;
  }
}

/** One instance, compared with Temporal (e.g. right after an operator terminated it). */
export async function reconcileInstance(db: Knex, client: Client, id: string, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const report: ReconcileReport = { checked: 0, changed: [], missing: [], errors: [] };
  const rows: RunningRow[] = await db('process_instances').where({ status: 'running', id }).select('id', 'workflow_id', 'definition_id', 'business_key', 'started_at');
  await reconcileRows(db, client, rows, options, report);
  return report;
}

/**
 * The running rows among the workflows Temporal's visibility lists as closed since `since`, on
 * `taskQueue`: a cheap round that finds what was closed behind Cauce's back a moment ago.
 */
export async function reconcileClosedSince(db: Knex, client: Client, since: Date, taskQueue: string, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const report: ReconcileReport = { checked: 0, changed: [], missing: [], errors: [] };
  const query = `TaskQueue = '${taskQueue.replace(/'/g, "\\'")}' AND ExecutionStatus != 'Running' AND ExecutionStatus != 'ContinuedAsNew' AND CloseTime >= '${since.toISOString()}'`;
  const ids = new Set<string>();
  for await (const execution of client.workflow.list({ query })) ids.add(execution.workflowId);
  const all = [...ids];
  for (let i = 0; i < all.length; i += PAGE) {
    const rows: RunningRow[] = await db('process_instances')
      .where({ status: 'running' })
      .whereIn('workflow_id', all.slice(i, i + PAGE))
      .select('id', 'workflow_id', 'definition_id', 'business_key', 'started_at');
    await reconcileRows(db, client, rows, options, report);
  }
  return report;
}

async function reconcileRows(db: Knex, client: Client, rows: RunningRow[], options: ReconcileOptions, report: ReconcileReport): Promise<void> {
  const queue = [...rows];
  const work = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      report.checked++;
      try {
        await reconcileRow(db, client, row, options, report);
      } catch (err) {
        report.errors.push({ id: row.id, message: (err as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, work));
}

async function reconcileRow(db: Knex, client: Client, row: RunningRow, options: ReconcileOptions, report: ReconcileReport): Promise<void> {
  let temporalStatus: WorkflowExecutionStatusName;
  try {
    temporalStatus = await chainStatus(client, row);
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    if (Date.now() - row.started_at.getTime() < (options.startGraceMs ?? 60_000)) return;
    const missing: MissingWorkflow = { id: row.id, definitionId: row.definition_id, businessKey: row.business_key, closed: false };
    if (options.closeMissing) {
      const reason = 'its workflow does not exist in Temporal (never started, or removed after retention)';
      missing.closed = (await finishInstanceRow(db, { instanceId: row.id, status: 'failed', outcome: null, reason, actor: options.actor, details: { reconciled: true } })).closed;
    }
    report.missing.push(missing);
    return;
  }
  const closedAs = CLOSED[temporalStatus];
  if (!closedAs) return; // running (or paused): the row is right
  const { status, outcome, reason } = await howItClosed(client, row, closedAs);
  const result = await finishInstanceRow(db, {
    instanceId: row.id,
    status,
    outcome,
    reason: reason ?? undefined,
    actor: options.actor,
    details: { reconciled: true, temporalStatus },
  });
  // Closed meanwhile by the interpreter itself (its finishInstance won the race): nothing was repaired.
  if (!result.closed) return;
  report.changed.push({ id: row.id, definitionId: row.definition_id, businessKey: row.business_key, temporalStatus, status, outcome, reason, cancelledTasks: result.cancelledTasks });
}

/** The interpreter's own result when it completed; otherwise the failure's message (a termination's reason). */
async function howItClosed(client: Client, ref: InstanceRef, closedAs: ClosedStatus): Promise<{ status: ClosedStatus; outcome: string | null; reason: string | null }> {
  try {
    const result = (await client.connection.withDeadline(Date.now() + RESULT_TIMEOUT_MS, () => instanceHandle(client, ref).result())) as { status?: string; outcome?: string | null } | undefined;
    const status = result?.status && CLOSED_BY_INTERPRETER.has(result.status) ? (result.status as ClosedStatus) : closedAs;
    return { status, outcome: result?.outcome ?? null, reason: null };
  } catch (err) {
    const cause = err instanceof WorkflowFailedError ? err.cause : undefined;
    return { status: closedAs, outcome: null, reason: cause?.message || (err as Error).message || null };
  }
}
