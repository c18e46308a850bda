/**
 * The live instance: its public state (what the `state` query returns), the interpreter's bookkeeping
 * (what continue-as-new must carry over) and the services step handlers use.
 */
import {
  ApplicationFailure,
  CancellationScope,
  proxyActivities,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { EngineActivities, StepContext } from '../activities/context';
import { parseDuration } from './duration';
import { isExpression, resolveValue } from './expressions';
import type { ExternalEvent, InterpreterInput } from './messages';
import type { DurationSpec, InstanceState, OpenTask, RetrySpec, Step, StoredInstanceState } from './model';
import { SA } from './search-attributes';

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
  pendingEvents: ExternalEvent[];
  /** Task completions recorded by the update handler and not yet consumed by their step. */
  completions: Record<string, TaskCompletion>;
  closedTasks: string[];
}

const SEEN_EVENTS_KEPT = 1000;
const CLOSED_TASKS_KEPT = 1000;

/** Thrown by a path that stops at a safe point so the workflow can continue as new. */
export class Parked extends Error {
  constructor() {
    super('parked for continue-as-new');
    this.name = 'Parked';
  }
}

/**
 * The interpreter's own bookkeeping (tasks, stages, audit). These calls finish even while the instance
 * is being cancelled: the inbox and the audit trail must match what happened, and a cancel request
 * racing a just-completed activity would otherwise leave the two disagreeing.
 */
export const engine = runToCompletion(
  proxyActivities<EngineActivities>({
    startToCloseTimeout: '30s',
    retry: { initialInterval: '1s', maximumInterval: '1m', backoffCoefficient: 2 },
  }),
);

function runToCompletion<T extends object>(activities: T): T {
  return new Proxy(activities, {
    get: (target, name) => {
      const call = Reflect.get(target, name) as (...args: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) => CancellationScope.nonCancellable(() => call(...args));
    },
  });
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

export class ProcessInstance {
  readonly state: StoredInstanceState;
  readonly runtime: Runtime;
  private parkRequested = false;
  /** Tasks whose row is still being written: a completion waits for it instead of racing it. */
  readonly creatingTasks = new Set<string>();

  constructor(
    readonly input: InterpreterInput,
    private readonly searchAttributes: boolean,
    private readonly continueAsNewAfterEvents: number,
  ) {
    const def = input.definition;
    this.state = input.resume?.state ?? {
      instanceId: input.instanceId,
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
  }

  get definition() {
    return this.input.definition.definition;
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
    return { ...this.state, currentSteps: Object.values(this.runtime.paths).map((p) => p.stepId) };
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
      instance: { id: s.instanceId, businessKey: s.businessKey, definitionId: s.definitionId, version: s.version, stage: s.stage, startedBy: this.input.startedBy },
    };
  }

  resolve(value: unknown): Promise<unknown> {
    return resolveValue(value, this.state.variables, this.bindings());
  }

  async resolveDuration(spec: DurationSpec, where: string): Promise<number> {
    const value = isExpression(spec) ? await this.resolve(spec) : spec;
    try {
      return parseDuration(value as string | number);
    } catch (err) {
      throw ApplicationFailure.nonRetryable(`${where}: ${(err as Error).message}`, 'InvalidDuration');
    }
  }

  // ---- activities ------------------------------------------------------------------------

  activity(name: string, options: { timeout?: DurationSpec; totalTimeout?: DurationSpec; retry?: RetrySpec }) {
    const opts: ActivityOptions = {
      startToCloseTimeout: options.timeout ? parseDuration(options.timeout) : '30s',
      scheduleToCloseTimeout: options.totalTimeout ? parseDuration(options.totalTimeout) : undefined,
      retry: retryPolicy(options.retry),
    };
    return proxyActivities<Record<string, (input: unknown, ctx: StepContext) => Promise<unknown>>>(opts)[name];
  }

  // ---- tasks -----------------------------------------------------------------------------

  addTask(task: OpenTask): void {
    this.state.tasks.push(task);
    this.publishTaskRoles();
  }

  findTask(taskId: string): OpenTask | undefined {
    return this.state.tasks.find((t) => t.id === taskId);
  }

  isClosedTask(taskId: string): boolean {
    return this.runtime.closedTasks.includes(taskId) || taskId in this.runtime.completions;
  }

  closeTask(taskId: string): void {
    this.state.tasks = this.state.tasks.filter((t) => t.id !== taskId);
    this.runtime.closedTasks.push(taskId);
    if (this.runtime.closedTasks.length > CLOSED_TASKS_KEPT) this.runtime.closedTasks.shift();
    this.publishTaskRoles();
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
    this.runtime.pendingEvents.push(event);
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

  // ---- stage and search attributes -------------------------------------------------------

  recordStage(stage: string, actor: string): void {
    this.state.stage = stage;
    this.state.stageHistory.push({ stage, at: new Date().toISOString(), actor });
    this.upsert([{ key: SA.stage, value: stage }]);
  }

  publishStatus(): void {
    this.upsert([{ key: SA.status, value: this.state.status }]);
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
