/**
 * The one workflow that runs every process definition. It receives the deployed definition version
 * it runs, so a replay never depends on what was deployed later.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  condition,
  continueAsNew,
  currentUpdateInfo,
  isCancellation,
  setHandler,
  TemporalFailure,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { canTakeEvent, waitsOnItsOwn } from './definition';
import { validateFormData } from './forms';
import { faultOf, IncidentErrors, MAX_STEPS_WITHOUT_WAIT } from './incidents';
import { chooseBookkeeping, engine, Parked, ProcessInstance, type Position, type TaskCompletion } from './instance';
import {
  cancelSignal,
  claimTaskUpdate,
  messageUpdate,
  completeTaskUpdate,
  deliverEventUpdate,
  EventErrors,
  eventSignal,
  resolveIncidentUpdate,
  stateQuery,
  TaskErrors,
  type CancelRequest,
  type ClaimTaskInput,
  type CompleteTaskInput,
  type DeliverEventResult,
  type ExternalEvent,
  type MessageInput,
  type MessageResult,
  type InstanceResult,
  type InterpreterInput,
} from './messages';
import type { Actor, OpenTask, Step, UserTaskStep } from './model';
import { isOperator, taskActionRefusal } from './policy';
import { SA } from './search-attributes';
import { handlers, type Transition } from './steps';

const TRAIL_KEPT = 500;
const DEFAULT_CONTINUE_AS_NEW_AFTER = 2000;

export async function interpreter(input: InterpreterInput): Promise<InstanceResult> {
  chooseBookkeeping();
  const options = input.options ?? {};
  const instance = new ProcessInstance(
    input,
    options.searchAttributes ?? true,
    options.continueAsNewAfterEvents ?? DEFAULT_CONTINUE_AS_NEW_AFTER,
  );
  const { state, runtime } = instance;
  const steps = instance.steps;
  const completing = new Set<string>();
  const main = new CancellationScope();
  let cancelRequest: CancelRequest | undefined;

  // ---- messages ----------------------------------------------------------------------------

  setHandler(stateQuery, () => instance.snapshot());

  setHandler(eventSignal, (event) => {
    if (state.status === 'running') instance.acceptEvent(event);
  });

  /**
   * Takes the event, answering once a step has taken it, so the caller never hears "accepted" for an
   * event the process then ends without (e.g. a payment racing the trial's last day). A repeat of an
   * event still kept waits for the same outcome.
   */
  async function deliver(event: ExternalEvent): Promise<DeliverEventResult> {
    const known = runtime.seenEvents.includes(event.eventId);
    if (known && !instance.isPending(event.eventId)) {
      if (instance.expiredEvents.has(event.eventId)) throw expired(event.name);
      return { eventId: event.eventId, duplicate: true };
    }
    instance.acceptEvent(event);
    await condition(() => !instance.isPending(event.eventId) || instance.parking || state.status !== 'running');
    if (instance.expiredEvents.has(event.eventId)) throw expired(event.name);
    if (instance.isPending(event.eventId) && !instance.parking) {
      throw failure(EventErrors.notAwaited, `the process ended without taking the ${event.name} event`);
    }
    return { eventId: event.eventId, duplicate: known };
  }

  function validateDelivery(event: ExternalEvent): void {
    if (runtime.seenEvents.includes(event.eventId)) return;
    const standing = instance.standingSteps();
    if (state.status !== 'running' || !canTakeEvent(steps, standing, event.name)) {
      throw failure(EventErrors.notAwaited, `no step ahead of ${standing.join(', ') || 'the end'} takes a ${event.name} event`, { currentSteps: standing });
    }
    // One delivery of an event at a time: a second payment while the first is still being taken
    // is refused at once, instead of queueing behind it and being billed (or parked) later.
    const waiting = runtime.pendingEvents.find((e) => e.name === event.name);
    if (waiting) {
      throw failure(EventErrors.inFlight, `a ${event.name} event (${waiting.eventId}) is still being taken; send this one again once it has been`, {
        eventId: waiting.eventId,
      });
    }
  }

  setHandler(deliverEventUpdate, deliver, { validator: validateDelivery });

  const isOpening = (m: MessageInput) => m.messageId === input.openingMessageId;
  const asEvent = (m: MessageInput): ExternalEvent => ({ name: m.event!, eventId: m.messageId, payload: m.payload ?? {}, actor: m.actor });

  setHandler(
    messageUpdate,
    async (m): Promise<MessageResult> => {
      if (isOpening(m)) {
        await condition(() => instance.settled());
        return { ...opening(), started: true, duplicate: false };
      }
      const delivered = await deliver(asEvent(m));
      return { ...opening(), started: false, duplicate: delivered.duplicate };
    },
    {
      validator: (m) => {
        if (isOpening(m)) return;
        if (!m.event) throw failure(EventErrors.notAwaited, `this ${state.definitionId} process is already running for ${state.businessKey}`);
        validateDelivery(asEvent(m));
      },
    },
  );

  function opening(): Omit<MessageResult, 'started' | 'duplicate'> {
    return {
      instanceId: state.instanceId,
      status: state.status === 'running' || state.status === 'completed' || state.status === 'cancelled' ? state.status : 'failed',
      stage: state.stage,
      variables: state.variables,
      incidents: instance.incidents.length,
      ...(state.failure ? { failure: state.failure } : {}),
    };
  }

  function expired(name: string): ApplicationFailure {
    return failure(EventErrors.notAwaited, `no step ahead can take the ${name} event any more: it was dropped`);
  }

  setHandler(
    resolveIncidentUpdate,
    async ({ incidentId, actor }) => {
      const incident = validateIncident(incidentId, actor);
      await engine['engine.resolveIncident']({ id: incident.id, instanceId: state.instanceId, resolution: 'retried', actor: actor.username });
      (runtime.incidentDecisions ??= {})[incident.id] = 'retry';
      return { incidentId, resolution: 'retried' as const };
    },
    { validator: ({ incidentId, actor }) => void validateIncident(incidentId, actor) },
  );

  function validateIncident(incidentId: string, actor: Actor) {
    if (!isOperator(actor)) throw failure(IncidentErrors.forbidden, `${actor.username} is not an operator: only operators act on incidents`);
    const incident = instance.incidents.find((i) => i.id === incidentId);
    if (!incident || (runtime.incidentDecisions ?? {})[incidentId]) {
      throw failure(IncidentErrors.notFound, `incident ${incidentId} is not open in this instance`);
    }
    return incident;
  }

  setHandler(cancelSignal, (request) => {
    if (cancelRequest || state.status !== 'running') return;
    cancelRequest = request;
    main.cancel();
  });

  function openTask(taskId: string): OpenTask {
    const task = instance.findTask(taskId);
    if (!task) {
      if (instance.isClosedTask(taskId)) throw failure(TaskErrors.notOpen, `task ${taskId} is no longer open`);
      throw failure(TaskErrors.notFound, `task ${taskId} does not exist in this instance`);
    }
    if (completing.has(taskId) || taskId in runtime.completions) {
      throw failure(TaskErrors.notOpen, `task ${taskId} has already been completed`);
    }
    return task;
  }

  /** The one task rule (policy.ts), also applied by the API before it sends the update. */
  function checkCandidate(task: OpenTask, actor: Actor): void {
    const refusal = taskActionRefusal(actor, task);
    if (refusal) throw failure(refusal.code, refusal.message);
  }

  function validateCompletion({ taskId, outcome, data, actor }: CompleteTaskInput): void {
    const task = openTask(taskId);
    checkCandidate(task, actor);
    if (!task.outcomes.includes(outcome)) {
      throw failure(TaskErrors.unknownOutcome, `outcome "${outcome}" is not one of ${task.outcomes.join(', ')}`, {
        allowed: task.outcomes,
      });
    }
    const step = steps[task.stepId] as UserTaskStep;
    const problems = validateFormData(step.form, data ?? {});
    if (problems.length) {
      throw failure(TaskErrors.invalidData, `the data does not match the form of "${task.title}"`, { problems });
    }
  }

  setHandler(
    completeTaskUpdate,
    async (request) => {
      // Validators of two updates in one activation may both pass; the handler is the final arbiter.
      validateCompletion(request);
      const { taskId, outcome, actor } = request;
      completing.add(taskId);
      await condition(() => !instance.creatingTasks.has(taskId));
      const completion: TaskCompletion = {
        outcome,
        data: request.data ?? {},
        completedBy: actor.username,
        completedAt: new Date().toISOString(),
      };
      try {
        await engine['engine.completeTask']({ taskId, ...completion });
      } finally {
        completing.delete(taskId);
      }
      runtime.completions[taskId] = completion;
      instance.closeTask(taskId);
      // Reply once the process has moved on, so the caller sees the next step.
      await condition(() => !(taskId in runtime.completions) || instance.parking || state.status !== 'running');
      return { taskId, outcome, completedBy: completion.completedBy, completedAt: completion.completedAt };
    },
    { validator: validateCompletion },
  );

  function validateClaim({ taskId, actor, release }: ClaimTaskInput): OpenTask {
    const task = openTask(taskId);
    if (release && !task.assignee) throw failure(TaskErrors.notOpen, `task ${taskId} is not claimed`);
    checkCandidate(task, actor);
    return task;
  }

  setHandler(
    claimTaskUpdate,
    async (request) => {
      const task = validateClaim(request);
      await condition(() => !instance.creatingTasks.has(task.id));
      task.assignee = request.release ? null : request.actor.username;
      await engine['engine.claimTask']({
        taskId: task.id,
        key: `${task.id}:claim:${currentUpdateInfo()!.id}`,
        assignee: task.assignee,
        actor: request.actor.username,
      });
      return task;
    },
    { validator: validateClaim },
  );

  // ---- execution -----------------------------------------------------------------------------

  async function runPath(pathId: string, start: string, scope: Record<string, Step>): Promise<Transition> {
    let pos = runtime.paths[pathId] ?? enterStep(pathId, start);
    for (;;) {
      const step = instance.findStep(scope, pos.stepId);
      const transition = await runStep(step, pos);
      leaveStep(transition);
      if (!('next' in transition)) {
        instance.leave(pathId);
        instance.expireEvents();
        return transition;
      }
      pos = enterStep(pathId, transition.next);
      instance.expireEvents();
      instance.parkIfDue();
      // Between steps is where a loop that never waits would ignore a cancel: stop here.
      if (CancellationScope.current().consideredCancelled) throw new CancelledFailure('cancel requested');
    }

    /** Runs the step; a fault of the definition stops the path at an incident until an operator retries. */
    async function runStep(step: Step, pos: Position) {
      for (;;) {
        if (pos.incidentId === undefined) {
          try {
            if (instance.countUnwaited(pathId, waitsOnItsOwn(step)) > MAX_STEPS_WITHOUT_WAIT) {
              throw ApplicationFailure.nonRetryable(
                `path ${pathId} ran ${MAX_STEPS_WITHOUT_WAIT} steps in a row without waiting for a person, an event or a timer (a loop through ${pos.stepId})`,
                'StepLoop',
              );
            }
            return await handlers[step.type]({ step, pos, pathId, instance, runPath } as never);
          } catch (err) {
            const fault = faultOf(err);
            if (!fault) throw err;
            instance.countUnwaited(pathId, true);
            await instance.raiseIncident(pos, fault);
          }
        }
        await instance.awaitIncident(pos);
      }
    }

    function enterStep(path: string, stepId: string) {
      const entered = instance.enter(path, stepId);
      state.trail.push({
        stepId,
        type: instance.findStep(scope, stepId).type,
        path,
        enteredAt: new Date(entered.enteredAt).toISOString(),
        leftAt: null,
        to: null,
      });
      if (state.trail.length > TRAIL_KEPT) state.trail.shift();
      return entered;
    }

    function leaveStep(transition: Transition) {
      const visit = [...state.trail].reverse().find((v) => v.path === pathId && v.leftAt === null);
      if (!visit) return;
      visit.leftAt = new Date().toISOString();
      visit.to = 'next' in transition ? transition.next : 'end' in transition ? `end:${transition.outcome ?? ''}` : 'end';
    }
  }

  async function finish(status: InstanceResult['status'] | 'failed', outcome: string | null, reason?: string, actor?: string) {
    state.status = status;
    state.outcome = outcome;
    state.endedAt = new Date().toISOString();
    // In the same step as the status, so no one reads a cancelled instance that still lists a task:
    // finishInstance cancels them in the inbox, and closes open incidents, in one transaction.
    const closing = [...state.tasks];
    for (const task of closing) instance.closeTask(task.id, false);
    state.incidents = [];
    instance.publishStatus();
    // `engine` calls already finish even while the instance is being cancelled.
    await engine['engine.finishInstance']({ instanceId: state.instanceId, status, outcome, reason, actor });
    instance.closed = true;
    runtime.paths = {};
    // One search-attribute upsert per closed task, after the activity, as recorded histories have them.
    for (let i = 0; i < closing.length; i++) instance.publishTaskRoles();
  }

  if (input.resume) {
    state.runs += 1;
  } else {
    if (options.searchAttributes ?? true) {
      upsertSearchAttributes([
        { key: SA.definitionId, value: state.definitionId },
        { key: SA.businessKey, value: state.businessKey },
        { key: SA.status, value: 'running' },
      ]);
    }
    await engine['engine.recordStart']({
      instanceId: state.instanceId,
      workflowId: workflowInfo().workflowId,
      definitionId: state.definitionId,
      version: state.version,
      businessKey: state.businessKey,
      startedBy: input.startedBy,
      variables: input.variables,
    });
  }
  instance.opened = true;

  try {
    const transition = await main.run(() => runPath('main', instance.definition.start, instance.definition.steps));
    const outcome = 'end' in transition ? transition.outcome : null;
    await finish('completed', outcome);
    return { status: 'completed', outcome, variables: state.variables };
  } catch (err) {
    if (err instanceof Parked && !cancelRequest) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof interpreter>({ ...input, variables: {}, resume: { state, runtime } });
    }
    if (isCancellation(err) || err instanceof Parked) {
      const requestedFromTemporal = !cancelRequest;
      const request = cancelRequest ?? { reason: 'cancelled from Temporal', actor: 'temporal' };
      await CancellationScope.nonCancellable(async () => {
        runtime.paths = {};
        if (instance.definition.onCancel) await runPath('cancel', instance.definition.onCancel, instance.definition.steps);
        await finish('cancelled', null, request.reason, request.actor);
      });
      // A cancellation requested through Temporal must end as Canceled there too.
      if (requestedFromTemporal) throw err;
      return { status: 'cancelled', outcome: null, variables: state.variables };
    }
    // A plain Error is a bug in the interpreter: let the workflow task retry (fixed code resumes it).
    if (!(err instanceof TemporalFailure)) throw err;
    const message = err.cause?.message ? `${err.message}: ${err.cause.message}` : err.message;
    state.failure = { type: failureType(err), message };
    await finish('failed', null, message);
    throw err;
  }
}

/** The type of the first ApplicationFailure along the error's causes (an activity's EmailTaken…). */
function failureType(err: unknown): string | null {
  for (let e: unknown = err; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if (e instanceof ApplicationFailure && e.type) return e.type;
  }
  return null;
}

function failure(type: string, message: string, details?: Record<string, unknown>): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: details ? [details] : undefined });
}
