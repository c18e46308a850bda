/**
 * StepServices without Temporal, for the unit tests of the step types: state in plain fields, every
 * call out recorded, and a scripted world for waits. Each time a step waits and is not ready, the
 * next of `whileWaiting` happens: something from outside (an event arrives, a person completes the
 * task) or TIMEOUT (the wait's timeout passes: the clock moves on by it). Once none is left, a wait
 * with a timeout times out and one without fails the test: the step would wait forever.
 * Expressions and durations are evaluated by the interpreter's own pure modules.
 */
import type { EngineActivities, StepContext } from '../../../activities/context';
import { parseDuration } from '../../../workflows/duration';
import { beginActivation, isExpression, resolveValue } from '../../../workflows/expressions';
import { Parked, type Position, type TaskCompletion } from '../../../workflows/instance';
import type { ExternalEvent, InstanceResult } from '../../../workflows/messages';
import type { DurationSpec, OpenTask, Step } from '../../../workflows/model';
import type { StepHandler } from '../../../workflows/steps';
import type { ActivityCallOptions, BusinessActivity, ChildInput, StepServices, Transition } from '../../../workflows/steps/types';

/** In `whileWaiting`: the current wait's timeout passes before anything else happens. */
export const TIMEOUT = 'timeout';
export type Happening = (() => void) | typeof TIMEOUT;

const MAX_WAITS = 50;

export interface Call {
  name: string;
  arg: unknown;
}

export class FakeServices implements StepServices {
  readonly instanceId = 'inst-1';
  readonly businessKey = 'acme';
  clock = Date.parse('2025-03-01T09:00:00.000Z');
  readonly variables: Record<string, unknown>;
  /** Events kept for a step to take (as the instance keeps those that came before their step). */
  readonly events: ExternalEvent[] = [];
  readonly tasks: OpenTask[] = [];
  readonly closedTasks: string[] = [];
  readonly completions: Record<string, TaskCompletion> = {};
  readonly creatingTasks = new Set<string>();
  readonly stages: Array<{ stage: string; actor: string }> = [];
  /** Engine bookkeeping calls, in order (`engine.createTask`, `engine.audit`…). */
  readonly engineCalls: Call[] = [];
  /** Answers of engine calls by name; a missing one resolves to undefined. */
  engineAnswers: Partial<Record<keyof EngineActivities, (arg: never) => unknown>> = {};
  readonly activityCalls: Array<{ name: string; options: ActivityCallOptions; input: unknown; ctx: StepContext }> = [];
  /** Business activities by name; a missing one resolves to undefined. */
  activities: Record<string, (input: unknown) => unknown> = {};
  /** What happens, one at a time, while a step waits and is not ready yet. */
  whileWaiting: Happening[] = [];
  /** The timeout (ms) of every wait the step started, `undefined` for a wait without one. */
  readonly waits: Array<number | undefined> = [];
  /** Workflow ids that take signals: a signal to any other finds nothing running. */
  readonly running = new Set<string>();
  readonly signals: Array<{ workflowId: string; event: ExternalEvent }> = [];
  readonly children: Array<{ stepKey: string; child: ChildInput }> = [];
  childResult: InstanceResult = { status: 'completed', outcome: 'done', variables: {} };
  parkDue = false;
  rolePublishes = 0;
  cancelledScopes = 0;

  readonly engine = new Proxy({} as EngineActivities, {
    get: (_, name: string) => async (arg: unknown) => {
      this.engineCalls.push({ name, arg });
      return (this.engineAnswers as Record<string, (a: unknown) => unknown>)[name]?.(arg);
    },
  });

  constructor(variables: Record<string, unknown> = {}) {
    this.variables = variables;
  }

  now(): number {
    return this.clock;
  }

  stepContext(pos: Position): StepContext {
    return { instanceId: this.instanceId, definitionId: 'sale', version: 1, businessKey: this.businessKey, stepId: pos.stepId, key: `${this.instanceId}:${pos.stepId}:${pos.visit}` };
  }

  resolve(value: unknown, stepId?: string, field?: string): Promise<unknown> {
    beginActivation();
    const bindings = { instance: { id: this.instanceId, businessKey: this.businessKey } };
    return resolveValue(value, this.variables, bindings, stepId === undefined ? undefined : this.pointer(stepId, field));
  }

  async resolveDuration(spec: DurationSpec, _where: string, stepId?: string, field?: string): Promise<number> {
    return parseDuration((isExpression(spec) ? await this.resolve(spec, stepId, field) : spec) as string | number);
  }

  /** Calendar time only: working time needs the calendar activity, which the workflow tests run for real. */
  async resolveDeadline(spec: DurationSpec, from: number, where: string, stepId?: string, field?: string): Promise<number> {
    return from + (await this.resolveDuration(spec, where, stepId, field));
  }

  pointer(stepId: string, field?: string): string {
    return field ? `/steps/${stepId}/${field}` : `/steps/${stepId}`;
  }

  async waitUntil(_pos: Position, ready: () => boolean, timeoutMs?: number): Promise<boolean> {
    this.waits.push(timeoutMs);
    // A step that waits again and again on a ready condition loops: fail the test instead of the process.
    if (this.waits.length > MAX_WAITS) throw new Error(`the step waited more than ${MAX_WAITS} times`);
    for (;;) {
      if (ready()) return true;
      const next = this.whileWaiting.shift() ?? TIMEOUT;
      if (next !== TIMEOUT) {
        next();
        continue;
      }
      if (timeoutMs === undefined) throw new Error('the step would wait forever: it waits without a timeout and nothing is left in whileWaiting');
      this.clock += timeoutMs;
      return false;
    }
  }

  shouldPark(): boolean {
    return this.parkDue;
  }

  parkIfDue(): void {
    if (this.parkDue) throw new Parked();
  }

  hasEvent(names: string[]): boolean {
    return this.events.some((e) => names.includes(e.name));
  }

  takeEvent(names: string[]): ExternalEvent | undefined {
    const i = this.events.findIndex((e) => names.includes(e.name));
    return i < 0 ? undefined : this.events.splice(i, 1)[0];
  }

  addTask(task: OpenTask): void {
    this.tasks.push(task);
  }

  findTask(taskId: string): OpenTask | undefined {
    return this.tasks.find((t) => t.id === taskId);
  }

  closeTask(taskId: string): void {
    const i = this.tasks.findIndex((t) => t.id === taskId);
    if (i >= 0) this.tasks.splice(i, 1);
    this.closedTasks.push(taskId);
  }

  publishTaskRoles(): void {
    this.rolePublishes += 1;
  }

  hasCompletion(taskId: string): boolean {
    return taskId in this.completions;
  }

  takeCompletion(taskId: string): TaskCompletion {
    const completion = this.completions[taskId];
    delete this.completions[taskId];
    return completion;
  }

  recordStage(stage: string, actor: string): void {
    this.stages.push({ stage, actor });
  }

  activity(name: string, options: ActivityCallOptions): BusinessActivity {
    return async (input, ctx) => {
      this.activityCalls.push({ name, options, input, ctx });
      return this.activities[name]?.(input);
    };
  }

  async signalProcess(workflowId: string, event: ExternalEvent): Promise<boolean> {
    if (!this.running.has(workflowId)) return false;
    this.signals.push({ workflowId, event });
    return true;
  }

  async runChild(stepKey: string, child: ChildInput): Promise<InstanceResult> {
    this.children.push({ stepKey, child });
    return this.childResult;
  }

  runCancellable<T>(run: (cancel: () => void) => Promise<T>): Promise<T> {
    return run(() => {
      this.cancelledScopes += 1;
    });
  }

  // ---- what the outside world does (what the interpreter's message handlers would) -----------

  /** An event as the instance keeps it once the `event` signal or `deliverEvent` update brought it. */
  deliver(name: string, payload: Record<string, unknown> = {}, actor = 'webhook'): void {
    this.events.push({ name, eventId: `evt-${this.events.length + 1}`, payload, actor });
  }

  /** A person completes the task, as the `completeTask` update records it. */
  complete(taskId: string, outcome: string, data: Record<string, unknown> = {}, by = 'ana'): void {
    this.completions[taskId] = { outcome, data, completedBy: by, completedAt: new Date(this.clock).toISOString() };
    this.closeTask(taskId);
  }

  callsOf(name: keyof EngineActivities): unknown[] {
    return this.engineCalls.filter((c) => c.name === name).map((c) => c.arg);
  }
}

export type NestedPaths = (pathId: string, start: string, scope: Record<string, Step>) => Promise<Transition>;

/** Runs one step as the interpreter does: at its first visit, entered at the fake's clock, unless `pos` says otherwise. */
export async function runStep<S extends Step>(
  handler: StepHandler<S>,
  step: S,
  services: FakeServices,
  { pos, runPath }: { pos?: Partial<Position>; runPath?: NestedPaths } = {},
): Promise<{ transition: Transition; pos: Position }> {
  const at: Position = { stepId: 'step', visit: 1, enteredAt: services.clock, ...pos };
  const nested: NestedPaths = runPath ?? (async () => ({ pathEnd: true }));
  const transition = await handler({ step, pos: at, pathId: 'main', services, runPath: nested });
  return { transition, pos: at };
}
