import { eventNames } from '../definition';
import type { Position } from '../instance';
import type { OpenTask, UserTaskStep } from '../model';
import type { StepHandler, StepServices, Transition } from './types';
import { consumeEvent } from './wait';

/**
 * Opens a task for people holding one of the step's roles and waits for its completion (recorded by the
 * `completeTask` update), its SLA (escalate and/or move on) or continue-as-new (the open task and its
 * deadline are carried over in the position, so nothing is created twice).
 */
export const userTask: StepHandler<UserTaskStep> = async ({ step, pos, services }) => {
  const ctx = services.stepContext(pos);
  const taskId = ctx.key;
  if (!pos.taskId) {
    const title = String(await services.resolve(step.title, pos.stepId, 'title'));
    const assignee = step.assignee === undefined ? null : ((await services.resolve(step.assignee, pos.stepId, 'assignee')) as string | null) ?? null;
    if (step.dueIn) pos.deadline = await services.resolveDeadline(step.dueIn, pos.enteredAt, `step "${pos.stepId}" dueIn`, pos.stepId, 'dueIn');
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
    services.addTask(task);
    pos.taskId = taskId;
    services.creatingTasks.add(taskId);
    await services.engine['engine.createTask']({
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
    services.creatingTasks.delete(taskId);
    // Only a participant task calls it: tasks without one issue the same commands as before.
    if (step.participant) await sendParticipantLink(step.participant, task, pos, services);
  }

  const completed = () => services.hasCompletion(taskId);
  const names = eventNames(step);
  for (;;) {
    const ready = () => completed() || services.hasEvent(names) || services.shouldPark();
    const overdueAt = pos.escalated || pos.deadline === undefined ? undefined : pos.deadline;
    if (overdueAt === undefined) await services.waitUntil(pos, ready);
    else if (!(await services.waitUntil(pos, ready, Math.max(0, overdueAt - services.now())))) {
      const transition = await overdue(step, pos, services, taskId);
      if (transition) return transition;
      continue;
    }
    // A completion accepted before the event wins: the person did the work.
    if (completed()) break;
    const event = services.takeEvent(names);
    if (event) {
      const transition = await consumeEvent(services, pos, step.events!, event);
      await closeOpenTask(services, taskId, `event ${event.name}: moved on to ${transition.next}`);
      return transition;
    }
    services.parkIfDue();
  }

  const completion = services.takeCompletion(taskId);
  if (step.output) services.variables[step.output] = completion;
  return { next: step.outcomes[completion.outcome].next };
};

/** E-mails the outside participant a link to this task (engine.sendTaskLink: once per task). */
async function sendParticipantLink(participant: NonNullable<UserTaskStep['participant']>, task: OpenTask, pos: Position, services: StepServices): Promise<void> {
  const at = (field: string) => `participant/${field}`;
  const email = String(await services.resolve(participant.email, pos.stepId, at('email')));
  const name = participant.name === undefined ? null : ((await services.resolve(participant.name, pos.stepId, at('name'))) as string | null);
  const language = participant.language === undefined ? 'es' : String(await services.resolve(participant.language, pos.stepId, at('language')));
  const validFor = await services.resolveDuration(participant.expiresIn ?? '7d', `step "${pos.stepId}" participant.expiresIn`, pos.stepId, at('expiresIn'));
  await services.engine['engine.sendTaskLink']({
    taskId: task.id,
    instanceId: services.stepContext(pos).instanceId,
    title: task.title,
    email,
    name: name === null ? null : String(name),
    language,
    expiresAt: new Date(services.now() + validFor).toISOString(),
  });
}

async function overdue(step: UserTaskStep, pos: Position, services: StepServices, taskId: string): Promise<Transition | undefined> {
  pos.escalated = true;
  const action = step.onOverdue;
  const task = services.findTask(taskId);
  if (action?.escalateTo?.length && task) {
    task.candidateRoles = [...new Set([...task.candidateRoles, ...action.escalateTo])];
    task.escalated = true;
    services.publishTaskRoles();
    await services.engine['engine.escalateTask']({ taskId, addRoles: action.escalateTo });
  }
  if (action?.notify) {
    const input = action.notify.input ? await services.resolve(action.notify.input, pos.stepId, 'onOverdue/notify/input') : { taskId, title: task?.title };
    const ctx = services.stepContext(pos);
    await services.activity(action.notify.activity, {})(input, { ...ctx, key: `${ctx.key}:overdue` });
  }
  // A completion that raced the SLA wins: the person did the work before we moved on.
  if (action?.next && !services.hasCompletion(taskId)) {
    await closeOpenTask(services, taskId, `overdue: moved on to ${action.next}`);
    return { next: action.next };
  }
  return undefined;
}

/** Closes the task in the workflow first, so the update validator refuses a completion from then on. */
async function closeOpenTask(services: StepServices, taskId: string, reason: string): Promise<void> {
  services.closeTask(taskId);
  await services.engine['engine.cancelTask']({ taskId, reason });
}
