/**
 * The audit trail: one `audit_events` row per state change, keyed so a retry cannot write twice.
 * Written by the engine's activities and by reconciliation (lib/reconcile.ts).
 */
import type { Knex } from 'knex';

export interface AuditLine {
  key: string;
  instanceId: string;
  kind: string;
  taskId?: string | null;
  stepId?: string | null;
  actor?: string | null;
  details?: Record<string, unknown>;
  /** Workflow time when the interpreter supplies it (deterministic); database time otherwise. */
  at?: string | Date;
}

/** Inserts the line unless its key exists. Returns true when this call wrote it (first execution). */
export async function writeAudit(db: Knex | Knex.Transaction, line: AuditLine): Promise<boolean> {
  const rows = await db('audit_events')
    .insert({
      key: line.key,
      instance_id: line.instanceId,
      task_id: line.taskId ?? null,
      step_id: line.stepId ?? null,
      kind: line.kind,
      actor: line.actor ?? 'system',
      details: JSON.stringify(line.details ?? {}),
      ...(line.at ? { at: line.at } : {}),
    })
    .onConflict('key')
    .ignore()
    .returning('id');
  return rows.length > 0;
}
