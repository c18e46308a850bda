/**
 * The live instance: its public state (what the `state` query returns), the interpreter's bookkeeping
 * (what continue-as-new must carry over) and the services step handlers use (`StepServices`, in
 * steps/types.ts: the only part of the instance a step sees).
 */
import { RetryState } from '@temporalio/common';
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  executeChild,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  proxyActivities,
  proxyLocalActivities,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { EngineActivities, StepContext } from '../activities/context';
import { deadlineAfter } from './deadlines';
import { canTakeEvent, stepPointers, stepsById } from './definition';
import { parseDuration } from './duration';
import { isExpression, readPlainPaths, resolveValue } from './expressions';
import type { Fault } from './incidents';
import { eventSignal, INTERPRETER_WORKFLOW, type ExternalEvent, type InstanceResult, type InterpreterInput } from './messages';
import type { DurationSpec, InstanceState, OpenIncident, OpenTask, RetrySpec, Step, StoredInstanceState } from './model';
import { SA } from './search-attributes';
import { workflowIdOf } from './workflow-ids';
import type { ActivityCallOptions, BusinessActivity, ChildInput, StepServices } from './steps/types';

/** Where one path of execution stands; a parallel step runs one path per branch. */
export interface Position {
  stepId: string;
  visit: number;
  enteredAt: number;
  /** Absolute deadline (epoch ms) of the step's timer or SLA, so a resumed run keeps the same one. */
  deadline?: number;
  taskId?: string;
  escalated?: boolean;
  /** Parallel step: branches already finished. */
  doneBranches?: string[];
  /** The open incident that stops this path here, and how many this visit has raised. */
  incidentId?: string;
  incidents?: number;
}

export interface TaskCompletion {
  outcome: string;
  data: Record<string, unknown>;
  completedBy: string;
  completedAt: string;
}

export interface Runtime {
  visits: Record<string, number>;
  paths: Record<string, Position>;
  /** Event ids already accepted, newest last (bounded). */
  seenEvents: string[];
  /** Accepted events no wait step has consumed yet (an event may arrive before its wait step). */
  pendingEvents: PendingEvent[];
  /** Operators' decisions on open incidents, by incident id, until the stopped path reads them. */
  incidentDecisions?: Record<string, 'retry'>;
  /** Steps each path has run in a row without waiting. */
  unwaited?: Record<string, number>;
  /** Task completions recorded by the update handler and not yet consumed by their step. */
  completions: Record<string, TaskCompletion>;
  closedTasks: string[];
}

/** An event as the instance keeps it until a step takes it. */
export type PendingEvent = ExternalEvent & { receivedAt?: string };

const SEEN_EVENTS_KEPT = 1000;
/** Steps that wait through what they contain: a parallel step's branches, a sub-process's child. */
const CONTAINER_STEPS = new Set<string>(['parallel', 'subProcess']);
const CLOSED_TASKS_KEPT = 1000;

/** Thrown by a path that stops at a safe point so the workflow can continue as new. */
export class Parked extends Error {
  constructor() {
    super('parked for continue-as-new');
    this.name = 'Parked';
  }
}

/** Runs started since this id write the interpreter's bookkeeping through local activities. */
export const LOCAL_BOOKKEEPING_PATCH = 'local-bookkeeping';
/**
 * Runs started since this id take fewer promises: plain-path expressions read without JSONata, one
 * shielded scope for the bookkeeping. Fewer awaits can reorder what concurrent paths (parallel
 * branches) schedule within an activation, so runs recorded before keep the old ones. It implies
 * local bookkeeping: a new run records this one marker (each patch marker is two history events, the
 * marker and the SDK's TemporalChangeVersion upsert), not both.
 */
export const FEWER_PROMISES_PATCH = 'fewer-promises';

const BOOKKEEPING_TIMEOUT = '30s';
/** Backoffs longer than this wait on a workflow timer rather than inside the workflow task. */
const LOCAL_RETRY_THRESHOLD = '10s';
/** Retried until it succeeds (a row write that fails is an outage, not a business outcome), as before. */
const BOOKKEEPING_RETRY = { initialInterval: '1s', maximumInterval: '1m', backoffCoefficient: 2 } as const;

/**
 * The interpreter's own bookkeeping (tasks, stages, audit). These calls finish even while the instance
 * is being cancelled: the inbox and the audit trail must match what happened, and a cancel request
 * racing a just-completed activity would otherwise leave the two disagreeing.
 *
 * They are short row writes in the worker's own database, so they run as local activities: no round
 * trip through the task queue, and a task completion is durable in the same workflow task that moves
 * the instance on. Runs recorded before (no `local-bookkeeping` marker) keep their regular activities.
 * A local activity that keeps failing retries as the regular one did (no attempt limit); backoffs over
 * `localRetryThreshold` wait on a workflow timer instead of holding the workflow task open, so an
 * outage costs a few events per minute instead of a workflow-task heartbeat every few seconds.
 */
const regularEngine = runToCompletion(proxyActivities<EngineActivities>({ startToCloseTimeout: BOOKKEEPING_TIMEOUT, retry: BOOKKEEPING_RETRY }));
const localEngine = runToCompletion(
  proxyLocalActivities<EngineActivities>({ startToCloseTimeout: BOOKKEEPING_TIMEOUT, retry: BOOKKEEPING_RETRY, localRetryThreshold: LOCAL_RETRY_THRESHOLD }),
  asActivityFailure,
);

// Module state is per workflow execution: the SDK gives each workflow its own instance of its modules.
let bookkeeping: EngineActivities = regularEngine;
/**
 * The one non-cancellable scope every bookkeeping call runs in (since FEWER_PROMISES_PATCH). One for the
 * run rather than one per call: a scope costs several promises, and in the sandbox each promise costs a
 * stack trace. Unset: a scope per call, as runs recorded before had.
 */
let shielded: CancellationScope | undefined;

/**
 * Chooses, once at the start of a run, how this run writes its bookkeeping. Deciding once matters: a
 * run replayed from a history without the marker gets `false` here, but `patched()` asked again once
 * the replay has caught up would say `true` and switch activities in the middle of the run.
 */
export function chooseBookkeeping(): void {
  const fewerPromises = patched(FEWER_PROMISES_PATCH);
  bookkeeping = fewerPromises || patched(LOCAL_BOOKKEEPING_PATCH) ? localEngine : regularEngine;
  shielded = fewerPromises ? new CancellationScope({ cancellable: false }) : undefined;
  readPlainPaths(fewerPromises);
}

/** The bookkeeping activities of this run (see chooseBookkeeping). */
export const engine: EngineActivities = new Proxy({} as EngineActivities, {
  get: (_, name) => Reflect.get(bookkeeping, name),
});

function runToCompletion<T extends object>(activities: T, onFailure?: (name: string, err: unknown) => never): T {
  return new Proxy(activities, {
    get: (target, name) => {
      const call = Reflect.get(target, name) as (...args: unknown[]) => Promise<unknown>;
      const run = onFailure ? (...args: unknown[]) => call(...args).catch((err: unknown) => onFailure(String(name), err)) : call;
      return (...args: unknown[]) => (shielded ? shielded.run(() => run(...args)) : CancellationScope.nonCancellable(() => run(...args)));
    },
  });
}

/**
 * A local activity's failure reaches the workflow bare, not wrapped in an ActivityFailure as a regular
 * activity's is (sdk-core#449). Wrapped here, so a bookkeeping write that fails for good ends the
 * instance exactly as before: same cause chain in Temporal, same `end_reason`, same incident rules.
 */
function asActivityFailure(name: string, err: unknown): never {
  if (err instanceof ActivityFailure || !(err instanceof ApplicationFailure)) throw err;
  throw new ActivityFailure('Activity task failed', name, undefined, err.nonRetryable ? RetryState.NON_RETRYABLE_FAILURE : RetryState.RETRY_POLICY_NOT_SET, undefined, err);
}

function retryPolicy(spec: RetrySpec | undefined) {
  if (!spec) return undefined;
  return {
    maximumAttempts: spec.maximumAttempts,
    initialInterval: spec.initialInterval ? parseDuration(spec.initialInterval) : undefined,
    maximumInterval: spec.maximumInterval ? parseDuration(spec.maximumInterval) : undefined,
    backoffCoefficient: spec.backoffCoefficient,
    nonRetryableErrorTypes: spec.nonRetryableErrorTypes,
  };
}

export class ProcessInstance implements StepServices {
  readonly state: StoredInstanceState;
  /** The bookkeeping activities, for steps and handlers (see `engine`). */
  readonly engine: EngineActivities = engine;
  readonly runtime: Runtime;
  private parkRequested = false;
  /** Tasks whose row is still being written: a completion waits for it instead of racing it. */
  readonly creatingTasks = new Set<string>();
  /** Ids of events dropped because no step ahead can take them any more (see expireEvents). */
  readonly expiredEvents = new Set<string>();
  readonly steps: Record<string, Step>;
  private readonly pointers: Record<string, string>;
  /** Positions whose step is waiting (for a person, an event, a timer or an operator). */
  private readonly waitingAt = new Set<Position>();
  /** Set once the instance's row is written and its paths run (or it resumed after continue-as-new). */
  opened = false;
  /** Set once an ended instance's row says how it ended. */
  closed = false;
  /** Why and by whom the instance is being cancelled, while its `onCancel` path runs (`$instance.cancellation`). */
  cancellation: { reason: string; actor: string } | null = null;

  constructor(
    readonly input: InterpreterInput,
    private readonly searchAttributes: boolean,
    private readonly continueAsNewAfterEvents: number,
  ) {
    const def = input.definition;
    this.state = input.resume?.state ?? {
      // Started before ids came from business keys: the id it was given; else the chain's first run id.
      instanceId: input.instanceId ?? workflowInfo().firstExecutionRunId,
      definitionId: def.id,
      version: def.version,
      businessKey: input.businessKey,
      status: 'running',
      outcome: null,
      stage: null,
      stageHistory: [],
      variables: { ...input.variables },
      tasks: [],
      trail: [],
      startedAt: new Date().toISOString(),
      endedAt: null,
      runs: 1,
    };
    this.runtime = (input.resume?.runtime as Runtime | undefined) ?? {
      visits: {},
      paths: {},
      seenEvents: [],
      pendingEvents: [],
      completions: {},
      closedTasks: [],
    };
    this.steps = stepsById(this.definition.steps);
    this.pointers = stepPointers(this.definition.steps);
  }

  get definition() {
    return this.input.definition.definition;
  }

  get variables(): Record<string, unknown> {
    return this.state.variables;
  }

  now(): number {
    return Date.now();
  }

  // ---- positions -------------------------------------------------------------------------

  enter(pathId: string, stepId: string): Position {
    const visit = (this.runtime.visits[stepId] ?? 0) + 1;
    this.runtime.visits[stepId] = visit;
    const pos: Position = { stepId, visit, enteredAt: Date.now() };
    this.runtime.paths[pathId] = pos;
    return pos;
  }

  leave(pathId: string): void {
    delete this.runtime.paths[pathId];
  }

  /** The live state as the `state` query returns it. */
  snapshot(): InstanceState {
    return {
      ...this.state,
      incidents: this.state.incidents ?? [],
      currentSteps: Object.values(this.runtime.paths).map((p) => p.stepId),
      parkedEvents: this.runtime.pendingEvents.map((e) => ({ name: e.name, eventId: e.eventId, receivedAt: e.receivedAt ?? null })),
    };
  }

  stepContext(pos: Position): StepContext {
    return {
      instanceId: this.state.instanceId,
      definitionId: this.state.definitionId,
      version: this.state.version,
      businessKey: this.state.businessKey,
      stepId: pos.stepId,
      key: `${this.state.instanceId}:${pos.stepId}:${pos.visit}`,
    };
  }

  // ---- expressions -----------------------------------------------------------------------

  private bindings() {
    const s = this.state;
    return {
      instance: {
        id: s.instanceId, businessKey: s.businessKey, definitionId: s.definitionId, version: s.version, stage: s.stage, startedBy: this.input.startedBy,
        cancellation: this.cancellation,
      },
    };
  }

  /** Resolves `value`, found at `field` of step `stepId` (so a failing expression names its place). */
  resolve(value: unknown, stepId?: string, field?: string): Promise<unknown> {
    const at = stepId === undefined ? undefined : this.pointer(stepId, field);
    return resolveValue(value, this.state.variables, this.bindings(), at);
  }

  /** JSON pointer of a step's field in the definition (`/steps/check/choices/0/when`). */
  pointer(stepId: string, field?: string): string {
    const step = this.pointers[stepId] ?? `/steps/${stepId}`;
    return field ? `${step}/${field}` : step;
  }

  async resolveDuration(spec: DurationSpec, where: string, stepId?: string, field?: string): Promise<number> {
    const value = isExpression(spec) ? await this.resolve(spec, stepId, field) : spec;
    try {
      return parseDuration(value as string | number);
    } catch (err) {
      throw ApplicationFailure.nonRetryable(`${where}: ${(err as Error).message}`, 'InvalidDuration');
    }
  }

  /** `from` plus `spec`; working time is counted on the instance's business calendar (workflows/deadlines.ts). */
  resolveDeadline(spec: DurationSpec, from: number, where: string, stepId?: string, field?: string): Promise<number> {
    return deadlineAfter(this, spec, from, where, stepId, field);
  }

  // ---- activities ------------------------------------------------------------------------

  activity(name: string, options: ActivityCallOptions): BusinessActivity {
    const opts: ActivityOptions = {
      startToCloseTimeout: options.timeout ? parseDuration(options.timeout) : '30s',
      scheduleToCloseTimeout: options.totalTimeout ? parseDuration(options.totalTimeout) : undefined,
      retry: retryPolicy(options.retry),
    };
    if (!options.local) return proxyActivities<Record<string, BusinessActivity>>(opts)[name];
    // Failing for good, it fails the step as a regular activity would (onError, incidents, the instance's failure).
    const local = proxyLocalActivities<Record<string, BusinessActivity>>({ ...opts, localRetryThreshold: LOCAL_RETRY_THRESHOLD })[name];
    return (input, ctx) => local(input, ctx).catch((err: unknown) => asActivityFailure(name, err));
  }

  // ---- other workflows -------------------------------------------------------------------

  /**
   * A workflow that is not running (never started, or ended on its own) fails the signal: that is an
   * answer (false), not a fault.
   */
  async signalProcess(workflowId: string, event: ExternalEvent): Promise<boolean> {
    try {
      await getExternalWorkflowHandle(workflowId).signal(eventSignal, event);
      return true;
    } catch (err) {
      if (!(err instanceof ApplicationFailure) && !(err instanceof Error && /not found/i.test(err.message))) throw err;
      return false;
    }
  }

  /** The child runs with this instance's engine options; cancelling this instance cancels it. */
  runChild(stepKey: string, child: ChildInput): Promise<InstanceResult> {
    // Children started before workflow ids came from business keys had the step's key as their id.
    const byBusinessKey = patched('business-key-ids');
    const input: InterpreterInput = { ...child, ...(byBusinessKey ? {} : { instanceId: stepKey }), options: this.input.options };
    const workflowId = byBusinessKey ? workflowIdOf(child.definition.id, child.businessKey) : stepKey;
    return executeChild(INTERPRETER_WORKFLOW, { workflowId, args: [input], parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL });
  }

  runCancellable<T>(run: (cancel: () => void) => Promise<T>): Promise<T> {
    const scope = new CancellationScope();
    return scope.run(() => run(() => scope.cancel()));
  }

  // ---- tasks -----------------------------------------------------------------------------

  addTask(task: OpenTask): void {
    this.state.tasks.push(task);
    this.publishTaskRoles();
  }

  findTask(taskId: string): OpenTask | undefined {
    return this.state.tasks.find((t) => t.id === taskId);
  }

  hasCompletion(taskId: string): boolean {
    return taskId in this.runtime.completions;
  }

  takeCompletion(taskId: string): TaskCompletion {
    const completion = this.runtime.completions[taskId];
    delete this.runtime.completions[taskId];
    return completion;
  }

  isClosedTask(taskId: string): boolean {
    return this.runtime.closedTasks.includes(taskId) || taskId in this.runtime.completions;
  }

  /** `publish: false` leaves the search-attribute upsert to the caller (see the interpreter's finish). */
  closeTask(taskId: string, publish = true): void {
    this.state.tasks = this.state.tasks.filter((t) => t.id !== taskId);
    this.runtime.closedTasks.push(taskId);
    if (this.runtime.closedTasks.length > CLOSED_TASKS_KEPT) this.runtime.closedTasks.shift();
    if (publish) this.publishTaskRoles();
  }

  publishTaskRoles(): void {
    const roles = [...new Set(this.state.tasks.flatMap((t) => t.candidateRoles))].sort();
    this.upsert([{ key: SA.openTaskRoles, value: roles }]);
  }

  // ---- events ----------------------------------------------------------------------------

  acceptEvent(event: ExternalEvent): void {
    if (this.runtime.seenEvents.includes(event.eventId)) return;
    this.runtime.seenEvents.push(event.eventId);
    if (this.runtime.seenEvents.length > SEEN_EVENTS_KEPT) this.runtime.seenEvents.shift();
    this.runtime.pendingEvents.push({ ...event, receivedAt: new Date().toISOString() });
  }

  /** Where the paths stand; before the first step is entered (the start's first activity), at the start. */
  standingSteps(): string[] {
    const standing = Object.values(this.runtime.paths).map((p) => p.stepId);
    const notStarted = Object.keys(this.runtime.visits).length === 0 && this.state.status === 'running';
    return notStarted ? [this.definition.start] : standing;
  }

  isPending(eventId: string): boolean {
    return this.runtime.pendingEvents.some((e) => e.eventId === eventId);
  }

  /**
   * Drops kept events that no step ahead of the current ones can take any more, so they never reach
   * a later step they were not meant for. Called when paths move on.
   */
  expireEvents(): void {
    if (!this.runtime.pendingEvents.length) return;
    const standing = this.standingSteps();
    this.runtime.pendingEvents = this.runtime.pendingEvents.filter((e) => {
      if (canTakeEvent(this.steps, standing, e.name)) return true;
      this.expiredEvents.add(e.eventId);
      return false;
    });
  }

  /** Takes the oldest pending event whose name is one of `names`. */
  takeEvent(names: string[]): ExternalEvent | undefined {
    const i = this.runtime.pendingEvents.findIndex((e) => names.includes(e.name));
    if (i < 0) return undefined;
    return this.runtime.pendingEvents.splice(i, 1)[0];
  }

  hasEvent(names: string[]): boolean {
    return this.runtime.pendingEvents.some((e) => names.includes(e.name));
  }

  // ---- incidents -------------------------------------------------------------------------

  get incidents(): OpenIncident[] {
    return (this.state.incidents ??= []);
  }

  /** Records an incident at `pos` (state first, so the query shows it at once) and its row. */
  async raiseIncident(pos: Position, fault: Fault): Promise<void> {
    const ctx = this.stepContext(pos);
    pos.incidents = (pos.incidents ?? 0) + 1;
    const incident: OpenIncident = {
      id: uuid4(),
      stepId: pos.stepId,
      type: fault.type,
      message: fault.message,
      path: fault.path ?? null,
      file: null,
      line: null,
      column: null,
      raisedAt: new Date().toISOString(),
    };
    pos.incidentId = incident.id;
    this.incidents.push(incident);
    this.publishStatus();
    const where = await engine['engine.raiseIncident']({
      id: incident.id,
      key: `${ctx.key}:incident:${pos.incidents}`,
      instanceId: ctx.instanceId,
      definitionId: ctx.definitionId,
      version: ctx.version,
      stepId: pos.stepId,
      type: fault.type,
      message: fault.message,
      path: fault.path,
      position: fault.position,
    });
    Object.assign(incident, where);
  }

  /** Waits for an operator's decision on the incident that stops `pos` (cancellation ends it too). */
  async awaitIncident(pos: Position): Promise<void> {
    const id = pos.incidentId!;
    const decisions = (this.runtime.incidentDecisions ??= {});
    await this.waitUntil(pos, () => id in decisions || this.shouldPark());
    if (!(id in decisions)) throw new Parked();
    delete decisions[id];
    delete pos.incidentId;
    this.state.incidents = this.incidents.filter((i) => i.id !== id);
    this.publishStatus();
  }

  /** Counts a step of `pathId` that did not wait; too many in a row is a loop the definition never leaves. */
  countUnwaited(pathId: string, waited: boolean): number {
    const counts = (this.runtime.unwaited ??= {});
    counts[pathId] = waited ? 0 : (counts[pathId] ?? 0) + 1;
    return counts[pathId];
  }

  // ---- waiting ---------------------------------------------------------------------------

  /**
   * `condition(ready, timeoutMs)` for a step that waits at `pos`: while it waits, the instance counts as
   * settled there (see `settled`). Resolves false when the timeout passed first.
   */
  async waitUntil(pos: Position, ready: () => boolean, timeoutMs?: number): Promise<boolean> {
    this.waitingAt.add(pos);
    try {
      if (timeoutMs === undefined) {
        await condition(ready);
        return true;
      }
      return await condition(ready, timeoutMs);
    } finally {
      this.waitingAt.delete(pos);
    }
  }

  /**
   * Opened, and nothing left to do without someone from outside: every path waits (a parallel or
   * sub-process step waits through its branches or child), or the instance has ended and its row
   * says so. What a caller then reads is durable.
   */
  settled(): boolean {
    if (!this.opened) return false;
    if (this.state.status !== 'running') return this.closed;
    return Object.values(this.runtime.paths).every((p) => this.waitingAt.has(p) || CONTAINER_STEPS.has(this.steps[p.stepId]?.type));
  }

  // ---- stage and search attributes -------------------------------------------------------

  recordStage(stage: string, actor: string): void {
    this.state.stage = stage;
    this.state.stageHistory.push({ stage, at: new Date().toISOString(), actor });
    this.upsert([{ key: SA.stage, value: stage }]);
  }

  /** CauceStatus in Temporal: `incident` while a path waits for an operator, so the Temporal UI says so too. */
  publishStatus(): void {
    const status = this.state.status === 'running' && this.incidents.length ? 'incident' : this.state.status;
    this.upsert([{ key: SA.status, value: status }]);
  }

  private upsert(pairs: Parameters<typeof upsertSearchAttributes>[0]): void {
    if (this.searchAttributes) upsertSearchAttributes(pairs);
  }

  // ---- continue-as-new -------------------------------------------------------------------

  /** True once the history is long enough that the instance should continue as new at its next safe point. */
  shouldPark(): boolean {
    if (!this.parkRequested) {
      const info = workflowInfo();
      this.parkRequested = info.continueAsNewSuggested || info.historyLength >= this.continueAsNewAfterEvents;
    }
    return this.parkRequested;
  }

  get parking(): boolean {
    return this.parkRequested;
  }

  /** Called at a safe point (between steps, or while waiting): stop here if continue-as-new is due. */
  parkIfDue(): void {
    if (this.shouldPark()) throw new Parked();
  }

  findStep(scope: Record<string, Step>, stepId: string): Step {
    const step = scope[stepId];
    if (!step) throw ApplicationFailure.nonRetryable(`step "${stepId}" does not exist`, 'UnknownStep');
    return step;
  }
}
