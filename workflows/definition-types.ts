/* Generated from definitions/schema/process.schema.json by scripts/generate-definition-types.ts: do not edit.
 * Change the schema, then run `npx tsx scripts/generate-definition-types.ts`. Code imports these through workflows/model.ts. */

/**
 * A kebab-case role id from definitions/roles.yaml, e.g. `commercial-support`.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "roleId".
 */
export type RoleId = string;
/**
 * How this process hears one business message: as an event of the running instance, and/or by starting one.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "messageListener".
 */
export type MessageListener = MessageListener1 & MessageListener2;
export type MessageListener1 =
  | {
      [k: string]: unknown;
    }
  | {
      /**
       * Must be true when there is no event.
       */
      starts: true;
    };
/**
 * A business stage name, e.g. `contacted` or `closed-won`.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "stageName".
 */
export type StageName = string;
/**
 * A JSON Schema (draft 2020-12) object; may carry `examples` and `default`.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "jsonSchema".
 */
export type JsonSchema = Record<string, unknown>;
/**
 * `30d`, `2 days`, `1h30m`, `90s`, ISO-8601 `P30D` / `PT2H`, or a `=` expression yielding one of those or a number of milliseconds. `dueIn` and timers also take working time: `2 business days`, `1 business day`, `4 business hours`.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "duration".
 */
export type DurationSpec = string;
/**
 * Id of a step in the same scope (top level, or the same parallel branch).
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "stepRef".
 */
export type StepRef = string;
/**
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "step".
 */
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
/**
 * camelCase step id, e.g. `verifyClient`.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "stepId".
 */
export type StepId = string;
/**
 * Name of the instance variable that receives the result; usable in later expressions.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "variableName".
 */
export type VariableName = string;
/**
 * A literal value, or a string starting with `=` holding a JSONata expression, e.g. `=client.name`.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "expression".
 */
export type Expr = unknown;
/**
 * Human description shown in the UI and diagrams.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "description".
 */
export type Description = string;

/**
 * A durable sales process run by Cauce on Temporal. The TypeScript types of a definition (workflows/definition-types.ts) are generated from this schema. Strings starting with `=` are JSONata expressions evaluated against the instance variables plus `$instance`.
 */
export interface ProcessDefinition {
  /**
   * Unique kebab-case id, e.g. `assisted-sale`. Deploying the same id with different content creates a new version.
   */
  id: string;
  /**
   * Human name shown in the UI, e.g. `Assisted sale with work order`.
   */
  name: string;
  /**
   * What the process is for and where it comes from.
   */
  description?: string;
  /**
   * Roles this process uses (userTask roles, onOverdue.escalateTo). Each must exist in definitions/roles.yaml.
   */
  roles?: RoleId[];
  /**
   * Roles that may start this process through `POST /api/processes` (operators always may). Unset or empty: operators only. Each must exist in definitions/roles.yaml. Starts made by Cauce itself (a feature API such as sign-up or leads, a subProcess step) do not consult it.
   */
  starters?: RoleId[];
  /**
   * Business messages this process hears, by name (e.g. `account.payment`). Cauce's APIs send a message with a business key; it goes to the instance of this definition running for that key (workflow id `<definitionId>/<businessKey>`) as `event`, or, with `starts`, starts one when none runs. Listeners that do not start are tried first.
   */
  messages?: {
    [k: string]: MessageListener;
  };
  /**
   * Business stages this process may record with `setStage`, in funnel order.
   */
  stages?: StageName[];
  variables: JsonSchema;
  /**
   * The kinds of document this process collects, by name (e.g. `rut-certificate`). A task form asks for one with a string field annotated `x-cauce-document: <kind>` (its value is a document id from `POST /api/documents`); a validation task takes verdicts in an object field annotated `x-cauce-verdicts: [<kind>, …]`.
   */
  documents?: {
    [k: string]: DocumentKind;
  };
  start: StepRef;
  /**
   * The calendar business durations (`2 business days`, `4 business hours` in `dueIn` and timers) are counted on: an id of definitions/calendars.yaml (`CO`, `CL`, `BO`: weekends, the country's public holidays, working hours in its time zone), or a `=` expression yielding one per instance, e.g. `=country`.
   */
  calendar?: string;
  onCancel?: StepRef;
  steps: Steps;
}
export interface MessageListener2 {
  /**
   * The event a running instance takes the message as; a step of this process must wait for it.
   */
  event?: string;
  /**
   * When no instance runs for the key, the message starts one (its variables come with the message).
   */
  starts?: boolean;
  /**
   * Only messages whose payload has these values (e.g. `{ kind: trial }`).
   */
  when?: {
    [k: string]: string | number | boolean;
  };
  /**
   * What sends this message, for readers.
   */
  description?: string;
}
/**
 * What a document of this kind may be, and whether the process needs it.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "documentKind".
 */
export interface DocumentKind {
  /**
   * What people call it, e.g. `RUT certificate`.
   */
  title?: string;
  /**
   * MIME types a document of this kind may have, as sniffed from its bytes (never the uploader's claim), e.g. `[application/pdf, image/jpeg]`.
   *
   * @minItems 1
   */
  types: string[];
  /**
   * A task whose form asks for this kind cannot complete without one, and a validation task cannot leave it without a verdict; default false.
   */
  required?: boolean;
  maxAge?: DurationSpec;
}
/**
 * Map of step id (camelCase) to step.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "steps".
 */
export interface Steps {
  [k: string]: Step;
}
/**
 * Map of input name to a literal value or a `=` expression.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "inputMapping".
 */
export interface InputMapping {
  [k: string]: Expr;
}
/**
 * Temporal retry policy for the activity.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "retry".
 */
export interface RetrySpec {
  /**
   * Attempts including the first one.
   */
  maximumAttempts?: number;
  initialInterval?: DurationSpec;
  /**
   * Each retry waits this many times longer than the previous one.
   */
  backoffCoefficient?: number;
  maximumInterval?: DurationSpec;
  /**
   * Error type names that fail the activity at once, without retrying.
   */
  nonRetryableErrorTypes?: string[];
}
/**
 * Go to a step.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "transition".
 */
export interface Transition {
  next: StepRef;
}
/**
 * Runs a registered activity (a side effect) with retries, then goes to `next`.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "activityStep".
 */
export interface ActivityStep {
  /**
   * Runs a registered activity.
   */
  type: 'activity';
  description?: Description;
  /**
   * Registered activity name from lib/definitions/activity-catalog.ts, e.g. `accounts.createTrial`. `engine.*` activities are reserved for the interpreter.
   */
  activity: string;
  input?: InputMapping;
  output?: VariableName;
  retry?: RetrySpec;
  timeout?: DurationSpec;
  totalTimeout?: DurationSpec;
  /**
   * Run it as a local activity: in the worker that runs the instance, recorded in the same workflow task, with no round trip through the task queue. For short idempotent writes in Cauce's own database, such as `notifications.send` (which only queues the message in the outbox). Not for calls to outside systems: those need the task queue's timeouts, heartbeats and separate scaling. Default false.
   */
  local?: boolean;
  onError?: Transition;
  next?: StepRef;
}
/**
 * Map of event name (POST /api/processes/:id/events/<name>) to where it leads. The event's output variable gets its payload plus `eventId` and `sentBy`.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "eventMap".
 */
export interface EventMap {
  /**
   * Where this event leads.
   */
  [k: string]: {
    next: StepRef;
    output?: VariableName;
  };
}
/**
 * A task a person with one of `roles` claims, fills in (`form`) and completes with one of `outcomes`.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "userTaskStep".
 */
export interface UserTaskStep {
  /**
   * A task completed by a person.
   */
  type: 'userTask';
  description?: Description;
  /**
   * Literal text or `=` expression yielding text, e.g. `="Verify " & client.name`.
   */
  title: string;
  /**
   * A user holding one of these roles may claim and complete the task. Each must be declared in the definition's `roles`.
   *
   * @minItems 1
   */
  roles: RoleId[];
  assignee?: Expr;
  /**
   * The task is given to a person outside the back office, by e-mail: when it opens, Cauce e-mails them a signed, expiring, single-use link (template `task-link`) that opens this one task and its form, and nothing else. Completing it records their e-mail as the actor. Staff holding `roles` may still complete it from the inbox; operators can revoke the link and send a new one.
   */
  participant?: {
    email: Expr;
    name?: Expr;
    /**
     * Language of the e-mail: `es` or `en`, or a `=` expression yielding one. Default `es`.
     */
    language?: string;
    expiresIn?: DurationSpec;
  };
  form?: JsonSchema;
  /**
   * Map of outcome name to where it leads; the person completing the task picks one.
   */
  outcomes: {
    [k: string]: Outcome;
  };
  output?: VariableName;
  dueIn?: DurationSpec;
  events?: EventMap;
  /**
   * What happens when the SLA passes while the task is still open. At least one of escalateTo / notify / next.
   */
  onOverdue?: {
    /**
     * Roles added to the task's candidate roles. Each must be declared in the definition's `roles`.
     *
     * @minItems 1
     */
    escalateTo?: RoleId[];
    /**
     * Activity run (once) as the escalation action, e.g. `notifications.send`.
     */
    notify?: {
      /**
       * Registered activity name, e.g. `notifications.send`.
       */
      activity: string;
      input?: InputMapping;
    };
    next?: StepRef;
  };
}
/**
 * Where this outcome leads.
 */
export interface Outcome {
  next: StepRef;
  /**
   * Button text shown in the UI.
   */
  label?: string;
  /**
   * The outcome a validation task takes when it rejects a document (`x-cauce-verdicts`): while any verdict is `rejected`, only outcomes marked so may be chosen.
   */
  rejectsDocuments?: boolean;
}
/**
 * Waits for an external event and/or a timer. No hidden default: without a timer it waits forever.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "waitStep".
 */
export interface WaitStep {
  /**
   * Waits for events and/or a timer.
   */
  type: 'wait';
  description?: Description;
  events?: EventMap;
  /**
   * Fires unless an event arrives first.
   */
  timer?: {
    after: DurationSpec;
    next: StepRef;
  };
}
/**
 * Goes to the `next` of the first choice whose `when` holds, else to `default`.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "choiceStep".
 */
export interface ChoiceStep {
  /**
   * Branches on conditions.
   */
  type: 'choice';
  description?: Description;
  /**
   * Evaluated in order; the first that holds wins.
   *
   * @minItems 1
   */
  choices: {
    /**
     * JSONata condition (the `=` prefix is optional here), e.g. `verification.data.foundIn = 'onyx'`.
     */
    when: string;
    next: StepRef;
  }[];
  default?: StepRef;
}
/**
 * A sequence of steps run concurrently with the other branches. Its steps may only go to steps of the same branch; a step without `next` ends the branch.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "branch".
 */
export interface Branch {
  /**
   * Name shown in the UI, unique within the parallel step.
   */
  name: string;
  start: StepRef;
  steps: Steps;
}
/**
 * Runs every branch; completes when each branch reaches an `end` or a step without `next`.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "parallelStep".
 */
export interface ParallelStep {
  /**
   * Runs branches concurrently.
   */
  type: 'parallel';
  description?: Description;
  /**
   * The branches, all run concurrently.
   *
   * @minItems 1
   */
  branches: Branch[];
  next?: StepRef;
}
/**
 * Runs another definition as a child workflow and waits for it.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "subProcessStep".
 */
export interface SubProcessStep {
  /**
   * Runs another definition as a child.
   */
  type: 'subProcess';
  description?: Description;
  /**
   * Id of the definition to run (its latest version when the step starts, unless `version`).
   */
  definition: string;
  /**
   * Pin a deployed version of the child definition.
   */
  version?: number;
  businessKey?: Expr;
  input?: InputMapping;
  output?: VariableName;
  next?: StepRef;
}
/**
 * Records a business stage (funnel position) of the instance.
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "setStageStep".
 */
export interface SetStageStep {
  /**
   * Records a business stage.
   */
  type: 'setStage';
  description?: Description;
  stage: StageName;
  /**
   * Who caused the stage change, recorded with it: an expression such as `=contact.completedBy` (a task's output) or `=payment.sentBy` (an event's sender). Default: system.
   */
  actor?: string;
  next?: StepRef;
}
/**
 * Tells the instance of another definition running for a business key an event (a signal to workflow `<definition>/<businessKey>`), then goes to `next`. When none runs, nothing is sent and the process goes on (`output` records which).
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "sendStep".
 */
export interface SendStep {
  /**
   * Tells another process an event.
   */
  type: 'send';
  description?: Description;
  /**
   * The receiving instance: the definition and business key of its workflow id.
   */
  to: {
    /**
     * Id of the receiving process's definition.
     */
    definition: string;
    businessKey: Expr;
  };
  /**
   * The event name the receiving process waits for.
   */
  event: string;
  payload?: InputMapping;
  output?: VariableName;
  next?: StepRef;
}
/**
 * Finishes the instance (or, inside a branch, the branch).
 *
 * This interface was referenced by `ProcessDefinition`'s JSON-Schema
 * via the `definition` "endStep".
 */
export interface EndStep {
  /**
   * Finishes the instance.
   */
  type: 'end';
  description?: Description;
  /**
   * Result recorded on the instance, e.g. `won` or `lost`.
   */
  outcome?: string;
}
