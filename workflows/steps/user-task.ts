import { eventNames } from '../definition';
import { engine, type Position, type ProcessInstance } from '../instance';
import type { OpenTask, UserTaskStep } from '../model';
import type { StepHandler, Transition } from './types';
import { consumeEvent } from './wait';

/**
 * Opens a task for people holding one of the step's roles and waits for its completion (recorded by the
 * `completeTask` update), its SLA (escalate and/or move on) or continue-as-new (the open task and its
 * deadline are carried over in the position, so nothing is created twice).
 */
export const userTask: StepHandler<UserTaskStep> = async ({ step, pos, instance }) => {
  const ctx = instance.stepContext(pos);
  const taskId = ctx.key;
  if (!pos.taskId) {
    const title = String(await instance.resolve(step.title, pos.stepId, 'title'));
    const assignee = step.assignee === undefined ? null : ((await instance.resolve(step.assignee, pos.stepId, 'assignee')) as string | null) ?? null;
    if (step.dueIn) pos.deadline = pos.enteredAt + (await instance.resolveDuration(step.dueIn, `step "${pos.stepId}" dueIn`, pos.stepId, 'dueIn'));
    const task: OpenTask = {
      id: taskId,
      stepId: pos.stepId,
      title,
      candidateRoles: [...step.roles],
      assignee,
      outcomes: Object.keys(step.outcomes),
      dueAt: pos.deadline === undefined ? null : new Date(pos.deadline).toISOString(),
      createdAt: new Date(pos.enteredAt).toISOString(),
      escalated: false,
    };
    // Visible to the update validator before the row exists: a completion can't race the creation.
    instance.addTask(task);
    pos.taskId = taskId;
    instance.creatingTasks.add(taskId);
    await engine['engine.createTask']({
      taskId,
      instanceId: ctx.instanceId,
      stepId: pos.stepId,
      title,
      candidateRoles: task.candidateRoles,
      assignee,
      form: step.form ?? null,
      outcomes: task.outcomes,
      dueAt: task.dueAt,
    });
    instance.creatingTasks.delete(taskId);
  }

  const completed = () => taskId in instance.runtime.completions;
  const names = eventNames(step);
  for (;;) {
    const ready = () => completed() || instance.hasEvent(names) || instance.shouldPark();
    const overdueAt = pos.escalated || pos.deadline === undefined ? undefined : pos.deadline;
    if (overdueAt === undefined) await instance.waitUntil(pos, ready);
    else if (!(await instance.waitUntil(pos, ready, Math.max(0, overdueAt - Date.now())))) {
      const transition = await overdue(step, pos, instance, taskId);
      if (transition) return transition;
      continue;
    }
    // A completion accepted before the event wins: the person did the work.
    if (completed()) break;
    const event = instance.takeEvent(names);
    if (event) {
      const transition = await consumeEvent(instance, pos, step.events!, event);
      await closeOpenTask(instance, taskId, `event ${event.name}: moved on to ${transition.next}`);
      return transition;
    }
    instance.parkIfDue();
  }

  const completion = instance.runtime.completions[taskId];
  delete instance.runtime.completions[taskId];
  if (step.output) instance.state.variables[step.output] = completion;
  return { next: step.outcomes[completion.outcome].next };
};

async function overdue(step: UserTaskStep, pos: Position, instance: ProcessInstance, taskId: string): Promise<Transition | undefined> {
  pos.escalated = true;
  const action = step.onOverdue;
  const task = instance.findTask(taskId);
  if (action?.escalateTo?.length && task) {
    task.candidateRoles = [...new Set([...task.candidateRoles, ...action.escalateTo])];
    task.escalated = true;
    instance.publishTaskRoles();
    await engine['engine.escalateTask']({ taskId, addRoles: action.escalateTo });
  }
  if (action?.notify) {
    const input = action.notify.input ? await instance.resolve(action.notify.input, pos.stepId, 'onOverdue/notify/input') : { taskId, title: task?.title };
    const ctx = instance.stepContext(pos);
    await instance.activity(action.notify.activity, {})(input, { ...ctx, key: `${ctx.key}:overdue` });
  }
  // A completion that raced the SLA wins: the person did the work before we moved on.
  if (action?.next && !(taskId in instance.runtime.completions)) {
    await closeOpenTask(instance, taskId, `overdue: moved on to ${action.next}`);
    return { next: action.next };
  }
  return undefined;
}

/** Closes the task in the workflow first, so the update validator refuses a completion from then on. */
async function closeOpenTask(instance: ProcessInstance, taskId: string, reason: string): Promise<void> {
  instance.closeTask(taskId);
  await engine['engine.cancelTask']({ taskId, reason });
}
