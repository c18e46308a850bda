/**
 * The shape of a process definition and of a running instance's state.
 * Pure types: imported by the interpreter (deterministic code), the validator, the API and tests.
 *
 * Expression convention (as in Camunda 8's FEEL): a string that starts with `=` is a JSONata
 * expression evaluated against the instance context; any other value is a literal.
 * `when` conditions are always expressions (the `=` is optional there).
 */

/** A literal value, or a `=`-prefixed JSONata expression string. */
export type Expr = unknown;

/** `30d`, `2 days`, `1h30m`, ISO-8601 `P30D` / `PT2H`, or a `=` expression that yields one of those or a number of milliseconds. */
export type DurationSpec = string;

export interface RetrySpec {
  maximumAttempts?: number;
  initialInterval?: DurationSpec;
  backoffCoefficient?: number;
  maximumInterval?: DurationSpec;
  nonRetryableErrorTypes?: string[];
}

interface StepBase {
  /** Human description shown in the UI and diagrams. */
  description?: string;
}

export interface ActivityStep extends StepBase {
  type: 'activity';
  /** Registered activity name, e.g. `accounts.createTrial`. */
  activity: string;
  /** Input mapping: each value a literal or a `=` expression. Omitted: the activity receives all variables. */
  input?: Record<string, Expr>;
  /** Variable that receives the activity result. */
  output?: string;
  retry?: RetrySpec;
  /** startToClose timeout, default 30s. */
  timeout?: DurationSpec;
  /** scheduleToClose timeout (covers all retries). Unset: retries are bounded by `retry` only. */
  totalTimeout?: DurationSpec;
  /** Where to go when the activity fails after its retries; the failure is stored in the `lastError` variable. Unset: the instance fails. */
  onError?: { next: string };
  next?: string;
}

export interface Outcome {
  next: string;
  label?: string;
}

export interface UserTaskStep extends StepBase {
  type: 'userTask';
  /** Literal or `=` expression. */
  title: Expr;
  /** Candidate roles: a user holding one of them may claim and complete the task. */
  roles: string[];
  /** Literal username or `=` expression; the task starts claimed by that user. */
  assignee?: Expr;
  /** JSON Schema (draft 2020-12) of the completion data; may carry `examples`/`default`. */
  form?: Record<string, unknown>;
  outcomes: Record<string, Outcome>;
  /** Variable that receives `{ outcome, data, completedBy, completedAt }`. */
  output?: string;
  /** SLA: the task is overdue this long after it opens. */
  dueIn?: DurationSpec;
  /** Interrupting events: the first one to arrive while the task is open cancels it and leads on. */
  events?: EventMap;
  /** What happens when the SLA passes while the task is still open. At least one of escalateTo / notify / next. */
  onOverdue?: {
    /** Roles added to the task's candidate roles. */
    escalateTo?: string[];
    /** Activity run (once) as the escalation action, e.g. `notifications.send`. */
    notify?: { activity: string; input?: Record<string, Expr> };
    /** Timeout transition: the task is cancelled and the instance goes here. */
    next?: string;
  };
}

/** External events (signals), e.g. a payment webhook; each leads to a step. */
export type EventMap = Record<string, { next: string; output?: string }>;

export interface WaitStep extends StepBase {
  type: 'wait';
  events?: EventMap;
  /** Timer; fires unless an event arrives first. */
  timer?: { after: DurationSpec; next: string };
}

export interface ChoiceStep extends StepBase {
  type: 'choice';
  choices: Array<{ when: string; next: string }>;
  default?: string;
}

export interface Branch {
  name: string;
  start: string;
  steps: Record<string, Step>;
}

export interface ParallelStep extends StepBase {
  type: 'parallel';
  /** All branches run; the step completes when every branch reaches an `end` or a step without `next`. */
  branches: Branch[];
  next?: string;
}

export interface SubProcessStep extends StepBase {
  type: 'subProcess';
  /** Definition id run as a child workflow (its latest version when the step starts, unless `version`). */
  definition: string;
  version?: number;
  businessKey?: Expr;
  input?: Record<string, Expr>;
  output?: string;
  next?: string;
}

export interface SetStageStep extends StepBase {
  type: 'setStage';
  stage: string;
  /** Expression (or literal) naming who caused the change; `system` when absent or empty. */
  actor?: string;
  next?: string;
}

/** Tells the instance of another definition running for a business key an event (a signal). */
export interface SendStep extends StepBase {
  type: 'send';
  to: { definition: string; businessKey: Expr };
  event: string;
  payload?: Record<string, Expr>;
  /** Receives `{ delivered }`: false when no instance ran for the key. */
  output?: string;
  next?: string;
}

export interface EndStep extends StepBase {
  type: 'end';
  outcome?: string;
}

export type Step =
  | ActivityStep
  | UserTaskStep
  | WaitStep
  | ChoiceStep
  | ParallelStep
  | SubProcessStep
  | SetStageStep
  | SendStep
  | EndStep;

export type StepType = Step['type'];

/** How a process hears a business message sent with a business key (definitions/schema: `messages`). */
export interface MessageListener {
  /** The event a running instance takes it as. */
  event?: string;
  /** No instance runs for the key: the message starts one. */
  starts?: boolean;
  /** Only messages whose payload has these values. */
  when?: Record<string, string | number | boolean>;
  description?: string;
}

export interface ProcessDefinition {
  id: string;
  name: string;
  description?: string;
  /** Roles this process uses; each must exist in definitions/roles.yaml. */
  roles?: string[];
  /** Roles that may start it through `POST /api/processes` (operators always may); unset: operators only. */
  starters?: string[];
  /** Business stages this process may record (setStage targets), in funnel order. */
  stages?: string[];
  /** Business messages it hears (see MessageListener), by name. */
  messages?: Record<string, MessageListener>;
  /** JSON Schema of the start variables; must carry at least one `examples` entry. */
  variables: Record<string, unknown>;
  start: string;
  steps: Record<string, Step>;
  /** Step run (non-cancellable) when the instance is cancelled, before it ends as cancelled. */
  onCancel?: string;
}

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

/** The state the interpreter keeps (and carries over continue-as-new); `currentSteps` is derived from its positions. */
export type StoredInstanceState = Omit<InstanceState, 'currentSteps'>;
