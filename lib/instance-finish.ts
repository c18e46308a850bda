/**
 * Closing an instance's projection: the `process_instances` row leaves `running` (which frees its
 * business key), its open tasks are withdrawn from the inbox, and both are audited. One transaction,
 * safe to repeat: only the first closing status sticks. Used by the interpreter's
 * `engine.finishInstance` and by reconciliation with Temporal (lib/reconcile.ts).
 */
import type { Knex } from 'knex';
import type { FinalState } from '../workflows/model';
import { writeAudit } from './audit';

/** Every status a closed instance can have (the `process_instances_status_check` constraint). */
export type ClosedStatus = 'completed' | 'cancelled' | 'failed' | 'terminated' | 'timed_out';

export interface InstanceFinish {
  instanceId: string;
  status: ClosedStatus;
  outcome: string | null;
  reason?: string;
  actor?: string;
  /** The state the interpreter ended with; reconciliation, which closes behind its back, has none. */
  finalState?: FinalState;
  /** Extra audit details (e.g. what reconciliation saw in Temporal). */
  details?: Record<string, unknown>;
}

export interface FinishResult {
  /** False when the row was closed already (or does not exist: see `exists`). */
  closed: boolean;
  exists: boolean;
  cancelledTasks: string[];
}

export async function finishInstanceRow(db: Knex, f: InstanceFinish): Promise<FinishResult> {
  return db.transaction(async (trx) => {
    const updated = await trx('process_instances')
      .where({ id: f.instanceId, status: 'running' })
      .update({
        status: f.status,
        outcome: f.outcome,
        end_reason: f.reason ?? null,
        ...(f.finalState ? { final_state: JSON.stringify(f.finalState) } : {}),
        ended_at: trx.fn.now(),
        updated_at: trx.fn.now(),
      });
    const exists = updated > 0 || Boolean(await trx('process_instances').where({ id: f.instanceId }).first('id'));
    if (!exists) return { closed: false, exists, cancelledTasks: [] };
    const reason = f.reason ?? `instance ${f.status}`;
    const actor = f.actor ?? 'system';
    const cancelled: Array<{ id: string; step_id: string }> = await trx('tasks')
      .where({ instance_id: f.instanceId, status: 'open' })
      .update({ status: 'cancelled', cancel_reason: reason })
      .returning(['id', 'step_id']);
    for (const task of cancelled) {
      await writeAudit(trx, {
        key: `${task.id}:cancelled`,
        instanceId: f.instanceId,
        taskId: task.id,
        stepId: task.step_id,
        kind: 'task.cancelled',
        actor,
        details: { reason },
      });
    }
    // An incident left open ends with its instance (the cancel, failure or termination is the answer).
    await trx('incidents')
      .where({ instance_id: f.instanceId, status: 'open' })
      .update({ status: 'resolved', resolution: f.status, resolved_by: actor, resolved_at: trx.fn.now() });
    await writeAudit(trx, {
      key: `${f.instanceId}:finished`,
      instanceId: f.instanceId,
      kind: `instance.${f.status}`,
      actor,
      details: { status: f.status, outcome: f.outcome, ...(f.reason ? { reason: f.reason } : {}), ...f.details },
    });
    return { closed: updated > 0, exists, cancelledTasks: cancelled.map((t) => t.id) };
  });
}
