/**
 * Incidents the interpreter cannot raise itself: a workflow task that keeps failing (a bug, a
 * nondeterminism, a sandbox that overran and took its worker down). Temporal flags such a workflow
 * in the `TemporalReportedProblems` search attribute after consecutive task failures or timeouts,
 * and clears it when a task succeeds; this mirrors that flag into `incidents` rows (source
 * `workflow-task`), opening one per flagged run and resolving it as `recovered` once the flag is gone.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { writeAudit } from './audit';

export interface TaskIncidentSync {
  opened: string[];
  recovered: string[];
}

/** What Temporal's history says about the last failed workflow task of the run, or the flag itself. */
async function lastTaskFailure(client: Client, workflowId: string, runId: string, problems: string[]): Promise<string> {
  const fallback = `Temporal reports the workflow task failing (${problems.join(', ') || 'no detail'})`;
  try {
    const history = await client.workflowService.getWorkflowExecutionHistoryReverse({
      namespace: client.options.namespace,
      execution: { workflowId, runId },
      maximumPageSize: 50,
    });
    for (const event of history.history?.events ?? []) {
      const failure = event.workflowTaskFailedEventAttributes?.failure;
      if (failure?.message) return `workflow task failed: ${failure.message}`.slice(0, 2000);
      if (event.workflowTaskTimedOutEventAttributes) return 'workflow task timed out: the worker took too long or died while running it';
    }
  } catch {
    // The flag alone still says enough to open the incident.
  }
  return fallback;
}

export async function syncTaskIncidents(db: Knex, client: Client, taskQueue: string): Promise<TaskIncidentSync> {
  const query = `TaskQueue = '${taskQueue.replace(/'/g, "\\'")}' AND ExecutionStatus = 'Running' AND TemporalReportedProblems IS NOT NULL`;
  const flagged = new Map<string, { runId: string; problems: string[] }>();
  for await (const execution of client.workflow.list({ query })) {
    const problems = (execution.searchAttributes?.TemporalReportedProblems as string[] | undefined) ?? [];
    flagged.set(execution.workflowId, { runId: execution.runId, problems });
  }

  const opened: string[] = [];
  /** Instances (row ids) whose workflow task Temporal flags now. */
  const flaggedInstances = new Set<string>();
  for (const [workflowId, { runId, problems }] of flagged) {
    // The running chain under this workflow id (rows from before business-key ids: workflow id = id).
    const row = await db('process_instances').where({ workflow_id: workflowId, status: 'running' }).orderBy('started_at', 'desc').first('id');
    if (!row) continue;
    flaggedInstances.add(row.id);
    const key = `${workflowId}:task:${runId}`;
    if (await db('incidents').where({ key, status: 'open' }).first('id')) continue;
    const id = randomUUID();
    const message = await lastTaskFailure(client, workflowId, runId, problems);
    const inserted = await db.transaction(async (trx) => {
      const rows = await trx('incidents')
        .insert({ id, key, instance_id: row.id, source: 'workflow-task', type: 'WorkflowTaskFailing', message })
        .onConflict('key')
        .ignore()
        .returning('id');
      if (rows.length) await writeAudit(trx, { key: `${key}:raised`, instanceId: row.id, kind: 'incident.raised', details: { incidentId: id, type: 'WorkflowTaskFailing', message } });
      return rows.length > 0;
    });
    if (inserted) opened.push(id);
  }

  const recovered: string[] = [];
  const open: Array<{ id: string; instance_id: string }> = await db('incidents').where({ source: 'workflow-task', status: 'open' }).select('id', 'instance_id');
  for (const incident of open) {
    if (flaggedInstances.has(incident.instance_id)) continue;
    await db.transaction(async (trx) => {
      const n = await trx('incidents').where({ id: incident.id, status: 'open' }).update({ status: 'resolved', resolution: 'recovered', resolved_by: 'temporal', resolved_at: trx.fn.now() });
      if (n) await writeAudit(trx, { key: `${incident.id}:resolved`, instanceId: incident.instance_id, kind: 'incident.recovered', actor: 'temporal', details: { incidentId: incident.id } });
    });
    recovered.push(incident.id);
  }
  return { opened, recovered };
}
