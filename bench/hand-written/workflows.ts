/**
 * The benchmark's five steps (bench/five-steps.yaml) written by hand as a plain Temporal workflow:
 * notify → setStage → review (user task, completed through an update) → notifyDone → end.
 *
 * It calls the very activities the interpreter calls, with the same inputs, idempotency keys and
 * activity options, so both variants do the same database work; what differs is only the
 * interpretation (definition walking, expressions, the state object, search attributes). As the
 * interpreter does (workflows/instance.ts), and as a Temporal expert would, it writes its bookkeeping
 * rows through local activities, and the notifications too, since the definition declares them local.
 */
import { ApplicationFailure, condition, defineQuery, defineUpdate, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { EngineActivities, StepContext } from '../../activities/context';

export const HAND_WRITTEN_WORKFLOW = 'handWrittenFiveSteps';

export interface HandWrittenInput {
  instanceId: string;
  definitionId: string;
  version: number;
  businessKey: string;
  email: string;
  startedBy: string;
}

export interface HandWrittenState {
  status: 'running' | 'completed';
  currentStep: string | null;
  taskId: string | null;
}

export interface HandCompleteInput {
  taskId: string;
  outcome: string;
  actor: { username: string; roles: string[] };
}

export const handStateQuery = defineQuery<HandWrittenState>('handState');
export const handCompleteUpdate = defineUpdate<{ taskId: string; completedAt: string; currentStep: string | null }, [HandCompleteInput]>('handComplete');

// Same options as workflows/instance.ts: engine activities (local), and the notifications, declared
// `local: true` in bench/five-steps.yaml, local too with the step defaults (30 s, no retry policy).
const engine = proxyLocalActivities<EngineActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m', backoffCoefficient: 2 },
  localRetryThreshold: '10s',
});
const domain = proxyLocalActivities<{ 'notifications.send'(input: Record<string, unknown>, ctx: StepContext): Promise<unknown> }>({
  startToCloseTimeout: '30s',
  localRetryThreshold: '10s',
});

const ROLE = 'sales';

export async function handWrittenFiveSteps(input: HandWrittenInput): Promise<{ status: 'completed'; outcome: string }> {
  const state: HandWrittenState = { status: 'running', currentStep: null, taskId: null };
  let completion: { outcome: string; completedBy: string; completedAt: string } | undefined;
  let completing = false;
  let creatingTask = false;

  const ctx = (stepId: string): StepContext => ({
    instanceId: input.instanceId,
    definitionId: input.definitionId,
    version: input.version,
    businessKey: input.businessKey,
    stepId,
    key: `${input.instanceId}:${stepId}:1`,
  });

  setHandler(handStateQuery, () => state);

  const validate = ({ taskId, outcome, actor }: HandCompleteInput) => {
    if (taskId !== state.taskId || completing || completion) throw ApplicationFailure.nonRetryable(`task ${taskId} is not open`, 'TaskNotOpen');
    if (outcome !== 'approved') throw ApplicationFailure.nonRetryable(`unknown outcome ${outcome}`, 'UnknownOutcome');
    if (!actor.roles.includes(ROLE)) throw ApplicationFailure.nonRetryable(`${actor.username} is not ${ROLE}`, 'NotACandidate');
  };
  setHandler(
    handCompleteUpdate,
    async (request) => {
      validate(request);
      completing = true;
      // As in the interpreter, a completion that arrives while the task row is being written waits for it.
      await condition(() => !creatingTask);
      const completedAt = new Date().toISOString();
      await engine['engine.completeTask']({ taskId: request.taskId, outcome: request.outcome, data: {}, completedBy: request.actor.username, completedAt });
      completion = { outcome: request.outcome, completedBy: request.actor.username, completedAt };
      // Like the interpreter: reply once the process has moved past the task.
      await condition(() => state.currentStep !== 'review');
      return { taskId: request.taskId, completedAt, currentStep: state.currentStep };
    },
    { validator: validate },
  );

  await engine['engine.recordStart']({
    instanceId: input.instanceId,
    definitionId: input.definitionId,
    version: input.version,
    businessKey: input.businessKey,
    startedBy: input.startedBy,
    variables: { email: input.email },
  });

  state.currentStep = 'notify';
  await domain['notifications.send']({ channel: 'email', to: input.email, template: 'bench-started' }, ctx('notify'));

  state.currentStep = 'markReviewing';
  const stage = ctx('markReviewing');
  await engine['engine.setStage']({ key: stage.key, instanceId: input.instanceId, stage: 'reviewing', actor: 'system', at: new Date().toISOString() });

  state.currentStep = 'review';
  const taskId = ctx('review').key;
  state.taskId = taskId;
  creatingTask = true;
  await engine['engine.createTask']({
    taskId,
    instanceId: input.instanceId,
    stepId: 'review',
    title: 'Review the benchmark request',
    candidateRoles: [ROLE],
    assignee: null,
    form: null,
    outcomes: ['approved'],
    dueAt: null,
  });
  creatingTask = false;
  await condition(() => completion !== undefined);

  state.currentStep = 'notifyDone';
  await domain['notifications.send']({ channel: 'email', to: input.email, template: 'bench-done' }, ctx('notifyDone'));

  state.currentStep = null;
  await engine['engine.finishInstance']({ instanceId: input.instanceId, status: 'completed', outcome: 'approved' });
  state.status = 'completed';
  return { status: 'completed', outcome: 'approved' };
}
