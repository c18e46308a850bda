/** Plans and signup rules of digital accounts (domain/accounts). */
import { DEFAULT_PLAN, planProblem, takesModulesAtSignup, trialDays, trialEndsAt } from '../../../domain/accounts';

test('a plan opens an account only when it exists, is active and is of the account kind', () => {
  const pyme = { code: 'trial-pyme', kind: 'trial', active: true };
  expect(planProblem('trial-pyme', pyme, 'trial')).toBeNull();
  expect(planProblem('trial-pyme', pyme, 'freemium')).toEqual({ code: 'plan_kind_mismatch', message: 'plan trial-pyme is trial, not freemium' });
  expect(planProblem('trial-pyme', { ...pyme, active: false }, 'trial')).toEqual({ code: 'unknown_plan', message: 'no active plan "trial-pyme"' });
  expect(planProblem('gold', null, 'trial')).toEqual({ code: 'unknown_plan', message: 'no active plan "gold"' });
  expect(planProblem('gold', undefined, 'trial')?.code).toBe('unknown_plan');
});

test('signup without a plan gets the kind\'s default, and only a trial takes modules at signup', () => {
  expect(DEFAULT_PLAN).toEqual({ trial: 'trial-pyme', freemium: 'freemium' });
  expect(takesModulesAtSignup('trial')).toBe(true);
  expect(takesModulesAtSignup('freemium')).toBe(false);
});

test('a trial lasts its plan\'s days (30 when the plan says none), counted from its start to the millisecond', () => {
  expect(trialDays(14)).toBe(14);
  expect(trialDays(null)).toBe(30);
  expect(trialDays(undefined)).toBe(30);
  expect(trialEndsAt(new Date('2025-03-01T12:30:00.250Z'), 30).toISOString()).toBe('2025-03-31T12:30:00.250Z');
  // Whole days of 24 h: Chile's change of time (first Sunday of April) does not move the hour.
  expect(trialEndsAt(new Date('2025-04-01T03:00:00.000Z'), 7).toISOString()).toBe('2025-04-08T03:00:00.000Z');
});
