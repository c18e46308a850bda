/** The wait step (workflows/steps/wait.ts) on a fake StepServices. */
import { Parked } from '../../../workflows/instance';
import type { WaitStep } from '../../../workflows/model';
import { wait } from '../../../workflows/steps/wait';
import { FakeServices, runStep, TIMEOUT } from './fake-services';

const DAY = 86_400_000;

const awaitPayment: WaitStep = {
  type: 'wait',
  events: { paid: { next: 'activate', output: 'payment' }, cancelled: { next: 'lost' } },
  timer: { after: '=trialDays & "d"', next: 'expire' },
};

const at = { pos: { stepId: 'awaitPayment' } };

describe('events', () => {
  it('takes the first of its events to arrive: output, audit, and where it leads', async () => {
    const services = new FakeServices({ trialDays: 30 });
    services.whileWaiting.push(() => services.deliver('paid', { amount: 99 }, 'billing'));

    const { transition } = await runStep(wait, awaitPayment, services, at);

    expect(transition).toEqual({ next: 'activate' });
    expect(services.variables.payment).toEqual({ amount: 99, eventId: 'evt-1', sentBy: 'billing' });
    expect(services.callsOf('engine.audit')).toEqual([
      { key: 'inst-1:awaitPayment:1:event', instanceId: 'inst-1', kind: 'event.received', stepId: 'awaitPayment', actor: 'billing', details: { name: 'paid', eventId: 'evt-1' } },
    ]);
  });

  it('takes an event that arrived before the step without waiting', async () => {
    const services = new FakeServices({ trialDays: 30 });
    services.deliver('cancelled');

    const { transition } = await runStep(wait, awaitPayment, services, at);

    expect(transition).toEqual({ next: 'lost' });
    expect(services.events).toEqual([]);
    expect(services.variables).toEqual({ trialDays: 30 });
  });

  it('leaves kept events of other names to the steps they are meant for', async () => {
    const services = new FakeServices({ trialDays: 30 });
    services.deliver('upgraded');
    services.whileWaiting.push(() => services.deliver('paid'));

    const { transition } = await runStep(wait, awaitPayment, services, at);

    expect(transition).toEqual({ next: 'activate' });
    expect(services.events.map((e) => e.name)).toEqual(['upgraded']);
  });

  it('waits without a timeout when it has no timer', async () => {
    const services = new FakeServices();
    services.whileWaiting.push(() => services.deliver('paid'));

    await runStep(wait, { type: 'wait', events: awaitPayment.events }, services, at);

    expect(services.waits).toEqual([undefined]);
  });
});

describe('timer', () => {
  it('goes to the timer’s next once its duration passed with no event, keeping the deadline in the position', async () => {
    const services = new FakeServices({ trialDays: 30 });
    services.whileWaiting.push(TIMEOUT);

    const { transition, pos } = await runStep(wait, awaitPayment, services, at);

    expect(transition).toEqual({ next: 'expire' });
    expect(pos.deadline).toBe(pos.enteredAt + 30 * DAY);
    expect(services.waits).toEqual([30 * DAY]);
    expect(services.callsOf('engine.audit')).toEqual([]);
  });

  it('keeps the deadline it had when it resumes (continue-as-new), waiting only for what is left', async () => {
    const services = new FakeServices({ trialDays: 30 });
    const deadline = services.clock + DAY;

    const { transition } = await runStep(wait, awaitPayment, services, { pos: { stepId: 'awaitPayment', enteredAt: services.clock - 29 * DAY, deadline } });

    expect(transition).toEqual({ next: 'expire' });
    expect(services.waits).toEqual([DAY]);
  });

  it('fires without waiting when the deadline already passed', async () => {
    const services = new FakeServices({ trialDays: 30 });

    const { transition } = await runStep(wait, awaitPayment, services, { pos: { stepId: 'awaitPayment', deadline: services.clock - 1 } });

    expect(transition).toEqual({ next: 'expire' });
    expect(services.waits).toEqual([]);
  });

  it('fails before it waits when its timer is no duration (the instance makes that an InvalidDuration incident)', async () => {
    const services = new FakeServices({ trialDays: 'soon' });

    await expect(runStep(wait, awaitPayment, services, at)).rejects.toThrow(/soond/);
    expect(services.waits).toEqual([]);
  });
});

it('parks when continue-as-new is due and no event came', async () => {
  const services = new FakeServices({ trialDays: 30 });
  services.whileWaiting.push(() => {
    services.parkDue = true;
  });

  await expect(runStep(wait, awaitPayment, services, at)).rejects.toBeInstanceOf(Parked);
});
