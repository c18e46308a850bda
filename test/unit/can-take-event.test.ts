/** Which kept events a step ahead can still take (workflows/definition.ts canTakeEvent). */
import { canTakeEvent, stepsById } from '../../workflows/definition';
import type { Step } from '../../workflows/model';

const steps = stepsById({
  fork: {
    type: 'parallel',
    branches: [
      {
        name: 'pay',
        start: 'awaitPay',
        steps: {
          awaitPay: { type: 'wait', events: { payment: { next: 'checkout' } } },
          checkout: { type: 'activity', activity: 'billing.checkout', onError: { next: 'awaitPay' } },
        },
      },
      { name: 'contact', start: 'call', steps: { call: { type: 'userTask', title: 'Call', roles: ['sales'], outcomes: { done: {} } } } },
    ],
    next: 'done',
  },
  done: { type: 'end' },
} as unknown as Record<string, Step>);

it('looks into the branches of a parallel step that was just entered', () => {
  expect(canTakeEvent(steps, ['fork'], 'payment')).toBe(true);
});

it('follows a running parallel step only from its join', () => {
  expect(canTakeEvent(steps, ['fork', 'awaitPay', 'call'], 'payment')).toBe(true);
  // The payment branch is past its wait: only a failed checkout would lead back to it.
  expect(canTakeEvent(steps, ['fork', 'checkout', 'call'], 'payment')).toBe(false);
});

it('knows no event no step takes', () => {
  expect(canTakeEvent(steps, ['fork'], 'refund')).toBe(false);
});
