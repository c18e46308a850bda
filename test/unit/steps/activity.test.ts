/** The activity step (workflows/steps/activity.ts) on a fake StepServices. */
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import type { ActivityStep } from '../../../workflows/model';
import { activity } from '../../../workflows/steps/activity';
import { FakeServices, runStep } from './fake-services';

const createAccount: ActivityStep = {
  type: 'activity',
  activity: 'accounts.create',
  input: { email: '=client.email', plan: 'pro' },
  output: 'account',
  timeout: '10s',
  retry: { maximumAttempts: 3 },
  next: 'welcome',
};

function failed(type: string, message: string): ActivityFailure {
  return new ActivityFailure('Activity task failed', 'accounts.create', undefined, RetryState.NON_RETRYABLE_FAILURE, undefined, ApplicationFailure.nonRetryable(message, type));
}

it('calls the activity with the resolved input and the step context, and keeps its result in the output variable', async () => {
  const services = new FakeServices({ client: { email: 'ana@acme.cl' } });
  services.activities['accounts.create'] = (input) => ({ id: 'acc-7', for: input });

  const { transition } = await runStep(activity, createAccount, services, { pos: { stepId: 'create', visit: 2 } });

  expect(transition).toEqual({ next: 'welcome' });
  expect(services.activityCalls).toEqual([
    {
      name: 'accounts.create',
      options: createAccount,
      input: { email: 'ana@acme.cl', plan: 'pro' },
      ctx: expect.objectContaining({ instanceId: 'inst-1', stepId: 'create', key: 'inst-1:create:2' }),
    },
  ]);
  expect(services.variables.account).toEqual({ id: 'acc-7', for: { email: 'ana@acme.cl', plan: 'pro' } });
});

it('passes a copy of all the variables when the step maps no input, and ends the path without next', async () => {
  const services = new FakeServices({ a: 1 });
  const { transition } = await runStep(activity, { type: 'activity', activity: 'audit.note' }, services);

  expect(transition).toEqual({ pathEnd: true });
  expect(services.activityCalls[0].input).toEqual({ a: 1 });
  expect(services.activityCalls[0].input).not.toBe(services.variables);
  expect(Object.keys(services.variables)).toEqual(['a']);
});

it('goes to onError with lastError set when the activity fails', async () => {
  const services = new FakeServices({ client: { email: 'ana@acme.cl' } });
  services.activities['accounts.create'] = () => {
    throw failed('EmailTaken', 'ana@acme.cl already has an account');
  };

  const { transition } = await runStep(activity, { ...createAccount, onError: { next: 'askAgain' } }, services, { pos: { stepId: 'create' } });

  expect(transition).toEqual({ next: 'askAgain' });
  expect(services.variables.lastError).toEqual({ step: 'create', activity: 'accounts.create', type: 'EmailTaken', message: 'ana@acme.cl already has an account' });
  expect(services.variables.account).toBeUndefined();
});

it('lets the failure through without onError (the instance fails as the definition says)', async () => {
  const services = new FakeServices({ client: { email: 'ana@acme.cl' } });
  services.activities['accounts.create'] = () => {
    throw failed('EmailTaken', 'taken');
  };

  await expect(runStep(activity, createAccount, services)).rejects.toBeInstanceOf(ActivityFailure);
  expect(services.variables.lastError).toBeUndefined();
});

it('lets an error that is not an activity failure through even with onError (an expression fault is an incident)', async () => {
  const services = new FakeServices({});
  const step: ActivityStep = { ...createAccount, input: { email: '=$unknownFunction()' }, onError: { next: 'askAgain' } };

  await expect(runStep(activity, step, services, { pos: { stepId: 'create' } })).rejects.toMatchObject({ path: '/steps/create/input/email' });
  expect(services.activityCalls).toEqual([]);
});
