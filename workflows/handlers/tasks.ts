/** The `completeTask` and `claimTask` updates: a person acting on one of the instance's open tasks. */
import { condition, currentUpdateInfo, setHandler } from '@temporalio/workflow';
import { documentProblems } from '../documents';
import { validateFormData } from '../forms';
import type { ProcessInstance, TaskCompletion } from '../instance';
import { claimTaskUpdate, completeTaskUpdate, TaskErrors, type ClaimTaskInput, type CompleteTaskInput } from '../messages';
import type { Actor, OpenTask, UserTaskStep } from '../model';
import { taskActionRefusal } from '../policy';
import { failure } from './failure';

export function registerTaskHandlers(instance: ProcessInstance): void {
  const { state, runtime, steps } = instance;
  /** Tasks whose completion is being written: a second completion in the same activation is refused. */
  const completing = new Set<string>();

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
    const problems = [...validateFormData(step.form, data ?? {}), ...documentProblems(instance.definition.documents, step, outcome, data ?? {})];
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
        await instance.engine['engine.completeTask']({ taskId, ...completion });
      } finally {
        completing.delete(taskId);
      }
      runtime.completions[taskId] = completion;
      instance.closeTask(taskId);
      // Reply once the process has moved on, so the caller sees the next step.
      await condition(() => !(taskId in runtime.completions) || instance.parking || state.status !== 'running');
      const { status, currentSteps, tasks } = instance.snapshot();
      return { taskId, outcome, completedBy: completion.completedBy, completedAt: completion.completedAt, instance: { status, currentSteps, tasks } };
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
      await instance.engine['engine.claimTask']({
        taskId: task.id,
        key: `${task.id}:claim:${currentUpdateInfo()!.id}`,
        assignee: task.assignee,
        actor: request.actor.username,
      });
      return task;
    },
    { validator: validateClaim },
  );
}
