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
  isCancellation,
  TemporalFailure,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { waitsOnItsOwn } from './definition';
import { registerMessageHandlers } from './handlers';
import { faultOf, MAX_STEPS_WITHOUT_WAIT } from './incidents';
import { chooseBookkeeping, engine, Parked, ProcessInstance, type Position } from './instance';
import type { InstanceResult, InterpreterInput } from './messages';
import type { Step } from './model';
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
  const main = new CancellationScope();
  const messages = registerMessageHandlers(instance, main);

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
            return await handlers[step.type]({ step, pos, pathId, services: instance, runPath } as never);
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
    const finalState = { variables: state.variables, stageHistory: state.stageHistory, runs: state.runs };
    await engine['engine.finishInstance']({ instanceId: state.instanceId, status, outcome, reason, actor, finalState });
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
    const { cancelRequest } = messages;
    if (err instanceof Parked && !cancelRequest) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof interpreter>({ ...input, variables: {}, resume: { state, runtime } });
    }
    if (isCancellation(err) || err instanceof Parked) {
      const requestedFromTemporal = !cancelRequest;
      const request = cancelRequest ?? { reason: 'cancelled from Temporal', actor: 'temporal' };
      await CancellationScope.nonCancellable(async () => {
        runtime.paths = {};
        instance.cancellation = { reason: request.reason, actor: request.actor };
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
