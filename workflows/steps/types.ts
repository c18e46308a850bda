import type { EngineActivities, StepContext } from '../../activities/context';
import type { Position, TaskCompletion } from '../instance';
import type { ExternalEvent, InstanceResult, InterpreterInput } from '../messages';
import type { DurationSpec, OpenTask, RetrySpec, Step } from '../model';

/** Where a step sends its path: another step, the end of the path (branch or instance), or the instance's end. */
export type Transition = { next: string } | { pathEnd: true } | { end: true; outcome: string | null };

export const pathEnd: Transition = { pathEnd: true };

export function goTo(next: string | undefined): Transition {
  return next ? { next } : pathEnd;
}

/** A business activity as a step calls it: `activity(input, ctx)` (activities/context.ts). */
export type BusinessActivity = (input: unknown, ctx: StepContext) => Promise<unknown>;

export interface ActivityCallOptions {
  timeout?: DurationSpec;
  totalTimeout?: DurationSpec;
  retry?: RetrySpec;
  /** A local activity (see the step's `local` in process.schema.json). */
  local?: boolean;
}

/** A child instance as a sub-process step starts it; the engine's options are passed on by the instance. */
export type ChildInput = Omit<InterpreterInput, 'options' | 'resume' | 'openingMessageId'>;

/**
 * What a step handler may use of its instance, and nothing more. ProcessInstance implements it on
 * Temporal; everything that only works inside a workflow (waiting, the clock, activities, other
 * workflows, cancellation scopes) goes through here, so a unit test can run a step on a fake.
 */
export interface StepServices {
  /** The instance's variables: a step reads its input and writes its output here. */
  readonly variables: Record<string, unknown>;
  /** The workflow's clock (epoch ms). */
  now(): number;
  /** What the step's activities receive: ids and the idempotency key of this visit. */
  stepContext(pos: Position): StepContext;

  /** Resolves `value`, found at `field` of step `stepId` (so a failing expression names its place). */
  resolve(value: unknown, stepId?: string, field?: string): Promise<unknown>;
  /** A duration, or an expression yielding one, in ms; a bad one is an InvalidDuration fault. */
  resolveDuration(spec: DurationSpec, where: string, stepId?: string, field?: string): Promise<number>;
  /**
   * The deadline (epoch ms) `spec` after `from`: calendar time added as is, working time (`2 business
   * days`) counted on the instance's business calendar; a bad one is an InvalidDuration or UnknownCalendar fault.
   */
  resolveDeadline(spec: DurationSpec, from: number, where: string, stepId?: string, field?: string): Promise<number>;
  /** JSON pointer of a step's field in the definition (`/steps/check/choices/0/when`). */
  pointer(stepId: string, field?: string): string;

  /** Waits at `pos` until `ready()` holds (true) or `timeoutMs` passes (false); meanwhile the instance counts as settled there. */
  waitUntil(pos: Position, ready: () => boolean, timeoutMs?: number): Promise<boolean>;
  /** True once the instance should continue as new at its next safe point. */
  shouldPark(): boolean;
  /** At a safe point: throws Parked if continue-as-new is due. */
  parkIfDue(): void;

  hasEvent(names: string[]): boolean;
  /** Takes the oldest kept event whose name is one of `names`. */
  takeEvent(names: string[]): ExternalEvent | undefined;

  /** Opens a task in the instance's state (visible to the update validators at once). */
  addTask(task: OpenTask): void;
  findTask(taskId: string): OpenTask | undefined;
  closeTask(taskId: string): void;
  /** Publishes the open tasks' roles (after a step changed a task's roles). */
  publishTaskRoles(): void;
  /** Tasks whose row is still being written: a completion waits for it instead of racing it. */
  readonly creatingTasks: Set<string>;
  /** Whether the `completeTask` update recorded a completion of the task that no step has taken yet. */
  hasCompletion(taskId: string): boolean;
  takeCompletion(taskId: string): TaskCompletion;

  recordStage(stage: string, actor: string): void;

  /** The engine's bookkeeping activities (rows for tasks, stages, audit…), run to completion. */
  readonly engine: EngineActivities;
  /** A business activity called as a step's definition says (timeouts, retries). */
  activity(name: string, options: ActivityCallOptions): BusinessActivity;
  /** Signals an event to the workflow `workflowId`; false when nothing runs under that id. */
  signalProcess(workflowId: string, event: ExternalEvent): Promise<boolean>;
  /**
   * Runs another instance as a child workflow and waits for its result. Its workflow id comes from its
   * definition and business key; `stepKey` (the step's visit) named it in runs recorded before that.
   */
  runChild(stepKey: string, child: ChildInput): Promise<InstanceResult>;
  /** Runs `run` in its own cancellation scope; `cancel` cancels what it started (siblings of a failed branch). */
  runCancellable<T>(run: (cancel: () => void) => Promise<T>): Promise<T>;
}

export interface StepRun<S extends Step> {
  step: S;
  pos: Position;
  pathId: string;
  services: StepServices;
  /** Runs a nested path (a parallel branch) to its end. */
  runPath(pathId: string, start: string, scope: Record<string, Step>): Promise<Transition>;
}

export type StepHandler<S extends Step> = (run: StepRun<S>) => Promise<Transition>;
