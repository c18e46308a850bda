/** The parallel step (workflows/steps/parallel.ts) on a fake StepServices and fake nested paths. */
import { Parked } from '../../../workflows/instance';
import type { ParallelStep } from '../../../workflows/model';
import { parallel } from '../../../workflows/steps/parallel';
import type { Transition } from '../../../workflows/steps/types';
import { FakeServices, runStep, type NestedPaths } from './fake-services';

const fork: ParallelStep = {
  type: 'parallel',
  branches: [
    { name: 'pay', start: 'awaitPay', steps: { awaitPay: { type: 'wait', events: { paid: { next: 'thanks' } } }, thanks: { type: 'end' } } },
    {
      name: 'call',
      start: 'call',
      steps: { call: { type: 'userTask', title: 'Call', roles: ['sales'], outcomes: { done: { next: 'called' } } }, called: { type: 'end' } },
    },
  ],
  next: 'join',
};

const at = { pos: { stepId: 'fork', visit: 2 } };

/** Nested paths that finish in the order given by the test, recording what was started. */
function branches() {
  const started: Array<{ pathId: string; start: string }> = [];
  const finish = new Map<string, (t: Transition) => void>();
  const fail = new Map<string, (e: unknown) => void>();
  const runPath: NestedPaths = (pathId, start) => {
    started.push({ pathId, start });
    return new Promise<Transition>((resolve, reject) => {
      finish.set(start, resolve);
      fail.set(start, reject);
    });
  };
  return { started, runPath, finish, fail };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

it('runs every branch as its own path and moves on once all have ended', async () => {
  const services = new FakeServices();
  const paths = branches();
  const run = runStep(parallel, fork, services, { ...at, runPath: paths.runPath });
  await settle();

  expect(paths.started).toEqual([
    { pathId: 'main/fork.2/pay', start: 'awaitPay' },
    { pathId: 'main/fork.2/call', start: 'call' },
  ]);
  let joined = false;
  void run.then(() => (joined = true));
  paths.finish.get('call')!({ pathEnd: true });
  await settle();
  expect(joined).toBe(false);

  paths.finish.get('awaitPay')!({ end: true, outcome: null });
  const { transition, pos } = await run;
  expect(transition).toEqual({ next: 'join' });
  expect(pos.doneBranches).toEqual(['call', 'pay']);
  expect(services.cancelledScopes).toBe(0);
});

it('runs only the branches not yet done when it resumes (after continue-as-new)', async () => {
  const services = new FakeServices();
  const paths = branches();
  const run = runStep(parallel, fork, services, { pos: { ...at.pos, doneBranches: ['pay'] }, runPath: paths.runPath });
  await settle();
  paths.finish.get('call')!({ pathEnd: true });

  await expect(run).resolves.toMatchObject({ transition: { next: 'join' } });
  expect(paths.started.map((p) => p.start)).toEqual(['call']);
});

it('cancels the other branches when one fails, and fails with that branch’s error', async () => {
  const services = new FakeServices();
  const paths = branches();
  const run = runStep(parallel, fork, services, { ...at, runPath: paths.runPath });
  await settle();

  const boom = new Error('checkout failed');
  paths.fail.get('awaitPay')!(boom);
  await settle();
  expect(services.cancelledScopes).toBe(1);
  // The sibling ends as the cancellation makes it end; the step reports the first failure.
  paths.fail.get('call')!(new Error('cancelled'));

  await expect(run).rejects.toBe(boom);
});

it('parks once every branch has reached its own safe point, when one of them parked', async () => {
  const services = new FakeServices();
  const paths = branches();
  const run = runStep(parallel, fork, services, { ...at, runPath: paths.runPath });
  await settle();

  paths.fail.get('call')!(new Parked());
  await settle();
  expect(services.cancelledScopes).toBe(0);
  paths.finish.get('awaitPay')!({ pathEnd: true });

  await expect(run).rejects.toBeInstanceOf(Parked);
});
