/**
 * Every message the interpreter workflow accepts, defined once and imported by api/, cli/ and test/.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, DefinitionVersion, InstanceState, OpenTask, StoredInstanceState } from './model';

export const INTERPRETER_WORKFLOW = 'interpreter';

export interface InterpreterInput {
  /**
   * Set by instances started before workflow ids came from business keys (then it equals the workflow
   * id). Unset: the instance id is the first run id of the workflow chain.
   */
  instanceId?: string;
  definition: DefinitionVersion;
  businessKey: string;
  variables: Record<string, unknown>;
  startedBy: string;
  options?: InterpreterOptions;
  /** Set only when the workflow continues as new. */
  resume?: ResumeState;
  /** The id of the message (messageUpdate) that started this instance: the one it answers as its opening. */
  openingMessageId?: string;
}

export interface InterpreterOptions {
  /** Upsert the Cauce* search attributes (the server must have them registered). Default true. */
  searchAttributes?: boolean;
  /** Continue as new once the history has this many events (or the server suggests it). Default 2000. */
  continueAsNewAfterEvents?: number;
}

export interface InstanceResult {
  status: 'completed' | 'cancelled';
  outcome: string | null;
  variables: Record<string, unknown>;
}

/** Everything the interpreter needs to pick up where the previous run stopped (opaque to clients). */
export interface ResumeState {
  state: StoredInstanceState;
  /** Interpreter bookkeeping: step positions, visit counters, deadlines, processed event ids. */
  runtime: unknown;
}

export interface CompleteTaskInput {
  taskId: string;
  outcome: string;
  data?: Record<string, unknown>;
  actor: Actor;
}

export interface CompleteTaskResult {
  taskId: string;
  outcome: string;
  completedBy: string;
  completedAt: string;
  /**
   * Where the instance stands once the completion is durable (the reply waits for the process to move
   * on), so the caller sees the next step without reading it again. Absent in runs started before.
   */
  instance?: Pick<InstanceState, 'status' | 'currentSteps' | 'tasks'>;
}

export interface ClaimTaskInput {
  taskId: string;
  actor: Actor;
  /** true: give the task back to the pool. */
  release?: boolean;
}

export interface ExternalEvent {
  name: string;
  /** Idempotency id: a second event with the same id is ignored. */
  eventId: string;
  payload?: Record<string, unknown>;
  actor?: string;
}

export interface DeliverEventResult {
  eventId: string;
  /** true: this event id was accepted before; nothing new happened. */
  duplicate: boolean;
}

/**
 * A business message routed to the instance of a definition for a business key
 * (update-with-start): either the one that starts it, or an event for the one already running.
 */
export interface MessageInput {
  /** Idempotency id; the start's `openingMessageId` when this message starts the instance. */
  messageId: string;
  /** The event this message is delivered as to a running instance (none: it only starts one). */
  event?: string;
  payload?: Record<string, unknown>;
  actor: string;
}

/** What a message answers: the instance it reached and, when it started it, how the opening went. */
export interface MessageResult {
  instanceId: string;
  started: boolean;
  /** An event delivered to a running instance: true when this message id was taken before. */
  duplicate: boolean;
  status: 'running' | 'completed' | 'cancelled' | 'failed';
  stage: string | null;
  variables: Record<string, unknown>;
  /** A failed instance: why (the type is an ApplicationFailure type, e.g. EmailTaken). */
  failure?: { type: string | null; message: string };
  /** Open incidents: the opening stopped at one. */
  incidents: number;
}

export interface CancelRequest {
  reason: string;
  actor: string;
}

/**
 * Failure types thrown by update validators and handlers; the API maps them to HTTP statuses.
 * Kept as plain strings so clients can match `ApplicationFailure.type`.
 */
export const TaskErrors = {
  notFound: 'TaskNotFound', // 404
  notOpen: 'TaskNotOpen', // 409
  unknownOutcome: 'UnknownOutcome', // 422
  invalidData: 'InvalidFormData', // 422
  forbidden: 'NotACandidate', // 403
  claimedByOther: 'ClaimedByOther', // 409
} as const;

/** Failure types of `deliverEventUpdate`. */
export const EventErrors = {
  notAwaited: 'EventNotAwaited', // 409
  inFlight: 'EventInFlight', // 409
} as const;

export interface ResolveIncidentInput {
  incidentId: string;
  actor: Actor;
}

export interface ResolveIncidentResult {
  incidentId: string;
  resolution: 'retried';
}

export const stateQuery = defineQuery<InstanceState>('state');
export const completeTaskUpdate = defineUpdate<CompleteTaskResult, [CompleteTaskInput]>('completeTask');
export const claimTaskUpdate = defineUpdate<OpenTask, [ClaimTaskInput]>('claimTask');
/** An event the process may take whenever it reaches a step that waits for it (buffered until then). */
export const eventSignal = defineSignal<[ExternalEvent]>('event');
/**
 * An event the caller must know was taken: refused (EventNotAwaited) when no step ahead of the current
 * ones takes it, and answered only once a step has taken it (or refused if the process ends first).
 */
export const deliverEventUpdate = defineUpdate<DeliverEventResult, [ExternalEvent]>('deliverEvent');
export const cancelSignal = defineSignal<[CancelRequest]>('cancel');
/**
 * The one update a start and a routed message use (update-with-start): the opening message answers
 * once the instance's row is written and every path waits (a person, an event, a timer, an incident)
 * or the instance has ended; any other message is delivered as its event (deliverEventUpdate's rules).
 */
export const messageUpdate = defineUpdate<MessageResult, [MessageInput]>('message');
/** An operator's retry of an open incident: the stopped step runs again (IncidentErrors on refusal). */
export const resolveIncidentUpdate = defineUpdate<ResolveIncidentResult, [ResolveIncidentInput]>('resolveIncident');
