/**
 * The shape of a process definition (generated from its schema) and of a running instance's state
 * (written here: the schema does not describe it).
 * Pure types: imported by the interpreter (deterministic code), the validator, the API and tests.
 *
 * Expression convention (as in Camunda 8's FEEL): a string that starts with `=` is a JSONata
 * expression evaluated against the instance context; any other value is a literal.
 * `when` conditions are always expressions (the `=` is optional there).
 */

// The definition's own types are generated from definitions/schema/process.schema.json
// (scripts/generate-definition-types.ts), so the schema that checks a definition and the types that
// read it cannot drift; they are re-exported here under the names the code has always imported.
import type { ProcessDefinition, Step } from './definition-types';

export type {
  ActivityStep,
  Branch,
  ChoiceStep,
  DocumentKind,
  DurationSpec,
  EndStep,
  EventMap,
  MessageListener,
  Expr,
  Outcome,
  ParallelStep,
  ProcessDefinition,
  RetrySpec,
  SendStep,
  SetStageStep,
  Step,
  SubProcessStep,
  UserTaskStep,
  WaitStep,
} from './definition-types';

export type StepType = Step['type'];

/** A deployed, immutable version. The interpreter receives this, so replay never depends on later deploys. */
export interface DefinitionVersion {
  id: string;
  version: number;
  hash: string;
  definition: ProcessDefinition;
}

export interface Actor {
  username: string;
  roles: string[];
}

export type InstanceStatus = 'running' | 'completed' | 'cancelled' | 'failed';

export interface OpenTask {
  id: string;
  stepId: string;
  title: string;
  candidateRoles: string[];
  assignee: string | null;
  outcomes: string[];
  dueAt: string | null;
  createdAt: string;
  escalated: boolean;
}

export interface StageChange {
  stage: string;
  at: string;
  actor: string;
}

/** One step execution, for the timeline (kept bounded: the last entries only). */
export interface StepVisit {
  stepId: string;
  type: StepType;
  path: string;
  enteredAt: string;
  leftAt: string | null;
  /** Where it went: the next step id, `end:<outcome>`, or null while running. */
  to: string | null;
}

/** What the `state` query returns. */
export interface InstanceState {
  instanceId: string;
  definitionId: string;
  version: number;
  businessKey: string;
  status: InstanceStatus;
  outcome: string | null;
  stage: string | null;
  stageHistory: StageChange[];
  variables: Record<string, unknown>;
  /** Steps currently executing (more than one inside a parallel step). */
  currentSteps: string[];
  tasks: OpenTask[];
  trail: StepVisit[];
  startedAt: string;
  endedAt: string | null;
  /** Runs of this instance so far (continue-as-new increments it). */
  runs: number;
  /** Steps stopped until an operator retries (or the instance is cancelled or terminated). */
  incidents?: OpenIncident[];
  /** Events received that no step has taken yet; kept while a step ahead can take them. */
  parkedEvents?: ParkedEvent[];
  /** A failed instance: the error that failed it (`type` is its ApplicationFailure type, if any). */
  failure?: { type: string | null; message: string };
}

/** A step that cannot go on by itself: see workflows/incidents.ts. */
export interface OpenIncident {
  id: string;
  stepId: string;
  /** ExpressionBudgetExceeded, ExpressionFailed, NoChoiceMatched, StepLoop… */
  type: string;
  message: string;
  /** JSON pointer of the fault in the definition, and where that is in its YAML file. */
  path: string | null;
  file: string | null;
  line: number | null;
  column: number | null;
  raisedAt: string;
}

export interface ParkedEvent {
  name: string;
  eventId: string;
  receivedAt: string | null;
}

/** What an ended instance's row keeps of its state (written by `engine.finishInstance`). */
export type FinalState = Pick<InstanceState, 'variables' | 'stageHistory' | 'runs'>;

/** The state the interpreter keeps (and carries over continue-as-new); `currentSteps` is derived from its positions. */
export type StoredInstanceState = Omit<InstanceState, 'currentSteps'>;
