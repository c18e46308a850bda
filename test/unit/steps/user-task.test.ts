/** The userTask step (workflows/steps/user-task.ts) on a fake StepServices. */
import { Parked } from '../../../workflows/instance';
import type { UserTaskStep } from '../../../workflows/model';
import { userTask } from '../../../workflows/steps/user-task';
import { FakeServices, runStep, TIMEOUT } from './fake-services';

const HOUR = 3_600_000;
const TASK = 'inst-1:review:1';

const review: UserTaskStep = {
  type: 'userTask',
  title: '="Review " & client.name',
  roles: ['sales'],
  assignee: '=owner',
  form: { type: 'object', properties: { note: { type: 'string' } } },
  outcomes: { approve: { next: 'bill' }, reject: { next: 'lost' } },
  output: 'decision',
};

const at = { pos: { stepId: 'review' } };

it('opens the task (state, then its row) and waits for it', async () => {
  const services = new FakeServices({ client: { name: 'Acme' }, owner: 'ana' });
  let openWhileWaiting: unknown;
  services.whileWaiting.push(() => {
    openWhileWaiting = structuredClone(services.tasks);
    services.complete(TASK, 'approve');
  });

  const { pos } = await runStep(userTask, { ...review, dueIn: '2h' }, services, at);

  const task = {
    id: TASK,
    stepId: 'review',
    title: 'Review Acme',
    candidateRoles: ['sales'],
    assignee: 'ana',
    outcomes: ['approve', 'reject'],
    dueAt: new Date(pos.enteredAt + 2 * HOUR).toISOString(),
    createdAt: new Date(pos.enteredAt).toISOString(),
    escalated: false,
  };
  expect(openWhileWaiting).toEqual([task]);
  expect(services.callsOf('engine.createTask')).toEqual([
    { taskId: TASK, instanceId: 'inst-1', stepId: 'review', title: 'Review Acme', candidateRoles: ['sales'], assignee: 'ana', form: review.form, outcomes: ['approve', 'reject'], dueAt: task.dueAt },
  ]);
  expect(pos).toMatchObject({ taskId: TASK, deadline: pos.enteredAt + 2 * HOUR });
  expect(services.creatingTasks.size).toBe(0);
  // The SLA is the wait's timeout.
  expect(services.waits).toEqual([2 * HOUR]);
});

it('moves on where the completed outcome leads, with the completion in the output variable', async () => {
  const services = new FakeServices({ client: { name: 'Acme' }, owner: null });
  services.whileWaiting.push(() => services.complete(TASK, 'reject', { note: 'no budget' }, 'ana'));

  const { transition } = await runStep(userTask, review, services, at);

  expect(transition).toEqual({ next: 'lost' });
  expect(services.variables.decision).toEqual({ outcome: 'reject', data: { note: 'no budget' }, completedBy: 'ana', completedAt: expect.any(String) });
  // Taken: a later visit does not find it.
  expect(services.hasCompletion(TASK)).toBe(false);
  expect(services.callsOf('engine.cancelTask')).toEqual([]);
});

it('does not open the task again when it resumes with one open (after continue-as-new)', async () => {
  const services = new FakeServices({ client: { name: 'Acme' } });
  services.tasks.push({ id: TASK, stepId: 'review', title: 'Review Acme', candidateRoles: ['sales'], assignee: null, outcomes: ['approve', 'reject'], dueAt: null, createdAt: '', escalated: false });
  services.whileWaiting.push(() => services.complete(TASK, 'approve'));

  const { transition } = await runStep(userTask, review, services, { pos: { stepId: 'review', taskId: TASK } });

  expect(transition).toEqual({ next: 'bill' });
  expect(services.callsOf('engine.createTask')).toEqual([]);
});

it('withdraws the task when one of its events comes first', async () => {
  const services = new FakeServices({ client: { name: 'Acme' } });
  const step: UserTaskStep = { ...review, events: { paid: { next: 'welcome', output: 'payment' } } };
  services.whileWaiting.push(() => services.deliver('paid', { amount: 10 }, 'billing'));

  const { transition } = await runStep(userTask, step, services, at);

  expect(transition).toEqual({ next: 'welcome' });
  expect(services.tasks).toEqual([]);
  expect(services.closedTasks).toEqual([TASK]);
  expect(services.callsOf('engine.cancelTask')).toEqual([{ taskId: TASK, reason: 'event paid: moved on to welcome' }]);
  expect(services.variables.payment).toEqual({ amount: 10, eventId: 'evt-1', sentBy: 'billing' });
  expect(services.callsOf('engine.audit')).toEqual([expect.objectContaining({ key: `${TASK}:event`, kind: 'event.received', stepId: 'review' })]);
});

it('lets a completion recorded before the event win: the person did the work', async () => {
  const services = new FakeServices({ client: { name: 'Acme' } });
  const step: UserTaskStep = { ...review, events: { paid: { next: 'welcome' } } };
  services.whileWaiting.push(() => {
    services.complete(TASK, 'approve');
    services.deliver('paid');
  });

  const { transition } = await runStep(userTask, step, services, at);

  expect(transition).toEqual({ next: 'bill' });
  expect(services.events).toHaveLength(1);
  expect(services.callsOf('engine.cancelTask')).toEqual([]);
});

describe('once overdue', () => {
  const overdueStep = (onOverdue: UserTaskStep['onOverdue']): UserTaskStep => ({ ...review, dueIn: '1h', onOverdue });

  it('escalates to more roles and keeps waiting, with no timeout any more', async () => {
    const services = new FakeServices({ client: { name: 'Acme' } });
    let escalatedTask: unknown;
    services.whileWaiting.push(TIMEOUT, () => {
      escalatedTask = structuredClone(services.findTask(TASK));
      services.complete(TASK, 'approve', {}, 'boss');
    });

    const { transition, pos } = await runStep(userTask, overdueStep({ escalateTo: ['manager', 'sales'] }), services, at);

    expect(transition).toEqual({ next: 'bill' });
    expect(pos.escalated).toBe(true);
    expect(escalatedTask).toMatchObject({ candidateRoles: ['sales', 'manager'], escalated: true });
    expect(services.callsOf('engine.escalateTask')).toEqual([{ taskId: TASK, addRoles: ['manager', 'sales'] }]);
    expect(services.rolePublishes).toBe(1);
    expect(services.waits).toEqual([HOUR, undefined]);
  });

  it('notifies through the named activity, keyed apart from the step', async () => {
    const services = new FakeServices({ client: { name: 'Acme' } });
    const step = overdueStep({ notify: { activity: 'mail.remind', input: { to: '=client.name' } }, next: 'remind' });

    const { transition } = await runStep(userTask, step, services, at);

    expect(transition).toEqual({ next: 'remind' });
    expect(services.activityCalls).toEqual([{ name: 'mail.remind', options: {}, input: { to: 'Acme' }, ctx: expect.objectContaining({ key: `${TASK}:overdue` }) }]);
  });

  it('notifies with the task when the notification maps no input', async () => {
    const services = new FakeServices({ client: { name: 'Acme' } });
    // After the notification the step waits on, without a timeout, until someone completes the task.
    services.whileWaiting.push(TIMEOUT, () => services.complete(TASK, 'approve'));

    const run = runStep(userTask, overdueStep({ notify: { activity: 'mail.remind' } }), services, at);

    await expect(run).resolves.toMatchObject({ transition: { next: 'bill' } });
    expect(services.activityCalls[0].input).toEqual({ taskId: TASK, title: 'Review Acme' });
  });

  it('moves on to next, withdrawing the task', async () => {
    const services = new FakeServices({ client: { name: 'Acme' } });

    const { transition } = await runStep(userTask, overdueStep({ next: 'callInstead' }), services, at);

    expect(transition).toEqual({ next: 'callInstead' });
    expect(services.tasks).toEqual([]);
    expect(services.callsOf('engine.cancelTask')).toEqual([{ taskId: TASK, reason: 'overdue: moved on to callInstead' }]);
  });

  it('times out at once when the deadline passed while the instance was not running', async () => {
    const services = new FakeServices({ client: { name: 'Acme' } });
    const { transition } = await runStep(userTask, overdueStep({ next: 'callInstead' }), services, {
      pos: { stepId: 'review', taskId: TASK, deadline: services.clock - HOUR },
    });

    expect(transition).toEqual({ next: 'callInstead' });
    expect(services.waits).toEqual([0]);
  });
});

it('parks at its wait when continue-as-new is due, keeping the open task in its position', async () => {
  const services = new FakeServices({ client: { name: 'Acme' } });
  services.whileWaiting.push(() => {
    services.parkDue = true;
  });

  const run = runStep(userTask, review, services, at);

  await expect(run).rejects.toBeInstanceOf(Parked);
  expect(services.tasks.map((t) => t.id)).toEqual([TASK]);
  expect(services.callsOf('engine.cancelTask')).toEqual([]);
});
