/**
 * The contract between the interpreter and every activity.
 * The interpreter calls a step's activity as `activity(input, ctx)`.
 */
import type { DefinitionVersion, FinalState, InstanceStatus } from '../workflows/model';

export interface StepContext {
  instanceId: string;
  definitionId: string;
  version: number;
  businessKey: string;
  stepId: string;
  /**
   * Idempotency key of this execution of the step: `${instanceId}:${stepId}:${visit}`.
   * Every side effect stores it in a column with a unique constraint, so a retried or
   * re-delivered activity finds its earlier row instead of writing a second one.
   */
  key: string;
}

export interface IncidentLocation {
  file: string | null;
  line: number | null;
  column: number | null;
}

export type ProcessActivity = (input: Record<string, unknown>, ctx: StepContext) => Promise<unknown>;

/** Activities the interpreter itself calls (names start with `engine.`); not callable from YAML. */
export interface EngineActivities {
  'engine.recordStart'(i: {
    instanceId: string;
    /** Unset in histories recorded before workflow ids came from business keys: then it is the instance id. */
    workflowId?: string;
    definitionId: string;
    version: number;
    businessKey: string;
    startedBy: string;
    variables: Record<string, unknown>;
  }): Promise<void>;
  'engine.createTask'(t: {
    taskId: string;
    instanceId: string;
    stepId: string;
    title: string;
    candidateRoles: string[];
    assignee: string | null;
    form: Record<string, unknown> | null;
    outcomes: string[];
    dueAt: string | null;
  }): Promise<void>;
  'engine.claimTask'(c: { taskId: string; key: string; assignee: string | null; actor: string }): Promise<void>;
  'engine.completeTask'(c: {
    taskId: string;
    outcome: string;
    data: Record<string, unknown>;
    completedBy: string;
    completedAt: string;
  }): Promise<void>;
  'engine.cancelTask'(c: { taskId: string; reason: string }): Promise<void>;
  /**
   * The link of a task given to an outside participant (`participant` of a userTask): creates it and
   * queues its e-mail, once per task. Returns the link's id, never its secret (that stays out of the
   * workflow's history).
   */
  'engine.sendTaskLink'(l: {
    taskId: string;
    instanceId: string;
    title: string;
    email: string;
    name: string | null;
    language: string;
    expiresAt: string;
  }): Promise<{ linkId: string }>;
  'engine.escalateTask'(e: { taskId: string; addRoles: string[] }): Promise<void>;
  'engine.setStage'(s: { key: string; instanceId: string; stage: string; actor: string; at: string }): Promise<void>;
  /** `finalState` is absent in runs recorded before it was written (their rows keep none). */
  'engine.finishInstance'(f: { instanceId: string; status: InstanceStatus; outcome: string | null; reason?: string; actor?: string; finalState?: FinalState }): Promise<void>;
  'engine.resolveDefinition'(r: { id: string; version?: number }): Promise<DefinitionVersion>;
  /**
   * Opens an incident (idempotent by `key`): the step cannot go on until an operator acts. Locates
   * `path` in the version's YAML source, so the row names the file, line and column.
   */
  'engine.raiseIncident'(i: {
    id: string;
    key: string;
    instanceId: string;
    definitionId: string;
    version: number;
    stepId: string;
    type: string;
    message: string;
    path?: string;
    /** Character offset of the fault inside the expression at `path`. */
    position?: number;
  }): Promise<IncidentLocation>;
  /** Closes an open incident with the operator's decision (audited with its actor). */
  'engine.resolveIncident'(r: { id: string; instanceId: string; resolution: 'retried' | 'cancelled'; actor: string }): Promise<void>;
  /** A business audit line for things no other engine activity records (event consumed, step failed…). */
  'engine.audit'(a: {
    key: string;
    instanceId: string;
    kind: string;
    stepId?: string;
    actor?: string;
    details?: Record<string, unknown>;
  }): Promise<void>;
}
