/** A `tasks` row (optionally joined with its instance) as the API shows it. */
import { toIso as iso } from '../../lib/time';

export interface TaskRow {
  id: string;
  instance_id: string;
  /** Joined from the instance (one task's read), to reach its workflow. */
  workflow_id?: string;
  step_id: string;
  title: string;
  candidate_roles: string[];
  assignee: string | null;
  status: 'open' | 'completed' | 'cancelled';
  outcomes: string[];
  form: Record<string, unknown> | null;
  outcome: string | null;
  data: Record<string, unknown> | null;
  cancel_reason: string | null;
  due_at: Date | null;
  escalated_at: Date | null;
  created_at: Date;
  claimed_at: Date | null;
  completed_by: string | null;
  completed_at: Date | null;
  definition_id?: string;
  /** The version the instance runs (one task's read). */
  definition_version?: number;
  business_key?: string;
}

export function presentTask(r: TaskRow, now = Date.now()) {
  return {
    id: r.id,
    processId: r.instance_id,
    ...(r.definition_id !== undefined ? { definitionId: r.definition_id, businessKey: r.business_key } : {}),
    stepId: r.step_id,
    title: r.title,
    status: r.status,
    candidateRoles: r.candidate_roles,
    assignee: r.assignee,
    outcomes: r.outcomes,
    form: r.form,
    dueAt: iso(r.due_at),
    overdue: r.status === 'open' && !!r.due_at && new Date(r.due_at).getTime() < now,
    escalatedAt: iso(r.escalated_at),
    createdAt: iso(r.created_at),
    claimedAt: iso(r.claimed_at),
    outcome: r.outcome,
    data: r.data,
    cancelReason: r.cancel_reason,
    completedBy: r.completed_by,
    completedAt: iso(r.completed_at),
  };
}
