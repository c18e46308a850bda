/**
 * The benchmark's ceiling: the same messages as the five steps (a start, one update that completes
 * the task, a query that shows where the instance stands) and nothing else — no activities, no
 * database. What this Temporal server and one worker do per instance before any work is done.
 */
import { ApplicationFailure, condition, defineQuery, defineUpdate, setHandler } from '@temporalio/workflow';

export const RAW_WORKFLOW = 'rawFiveSteps';

export interface RawInput {
  instanceId: string;
}

export interface RawState {
  status: 'running' | 'completed';
  currentStep: string | null;
}

export interface RawCompleteInput {
  taskId: string;
  outcome: string;
  actor: { username: string; roles: string[] };
}

export const rawStateQuery = defineQuery<RawState>('rawState');
export const rawCompleteUpdate = defineUpdate<{ taskId: string; completedAt: string; currentStep: string | null }, [RawCompleteInput]>('rawComplete');

const ROLE = 'sales';

export async function rawFiveSteps(input: RawInput): Promise<{ status: 'completed'; outcome: string }> {
  const taskId = `${input.instanceId}:review:1`;
  const state: RawState = { status: 'running', currentStep: 'review' };
  let completed = false;

  setHandler(rawStateQuery, () => state);
  const validate = ({ taskId: id, outcome, actor }: RawCompleteInput) => {
    if (id !== taskId || completed) throw ApplicationFailure.nonRetryable(`task ${id} is not open`, 'TaskNotOpen');
    if (outcome !== 'approved') throw ApplicationFailure.nonRetryable(`unknown outcome ${outcome}`, 'UnknownOutcome');
    if (!actor.roles.includes(ROLE)) throw ApplicationFailure.nonRetryable(`${actor.username} is not ${ROLE}`, 'NotACandidate');
  };
  setHandler(
    rawCompleteUpdate,
    (request) => {
      validate(request);
      completed = true;
      // The next step is visible as the update answers, as in the other variants.
      state.currentStep = 'notifyDone';
      return { taskId: request.taskId, completedAt: new Date().toISOString(), currentStep: state.currentStep };
    },
    { validator: validate },
  );

  await condition(() => completed);
  state.currentStep = null;
  state.status = 'completed';
  return { status: 'completed', outcome: 'approved' };
}
