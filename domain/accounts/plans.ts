/**
 * Digital accounts (seed 000): a trial has a limited free period taken from its plan; a freemium account
 * is $0 without limit and adds modules only as upgrades. Signup (the API) and account creation (the
 * activities) judge a plan by these rules.
 */

export type AccountKind = 'trial' | 'freemium';

/** The plan an account gets when the signup names none. */
export const DEFAULT_PLAN: Record<AccountKind, string> = { trial: 'trial-pyme', freemium: 'freemium' };

/** A trial plan without its own length runs this many days. */
export const DEFAULT_TRIAL_DAYS = 30;

export interface PlanFacts {
  code: string;
  kind: string;
  active: boolean;
}

export type PlanProblem = { code: 'unknown_plan' | 'plan_kind_mismatch'; message: string };

/** Why `plan` (looked up by `code`; null when there is none) cannot open an account of `kind`, or null. */
export function planProblem(code: string, plan: PlanFacts | null | undefined, kind: AccountKind): PlanProblem | null {
  if (!plan || !plan.active) return { code: 'unknown_plan', message: `no active plan ${JSON.stringify(code)}` };
  if (plan.kind !== kind) return { code: 'plan_kind_mismatch', message: `plan ${code} is ${plan.kind}, not ${kind}` };
  return null;
}

/** How many days a trial on this plan lasts. */
export function trialDays(planDays: number | null | undefined): number {
  return planDays ?? DEFAULT_TRIAL_DAYS;
}

/** When a trial started at `startedAt` on a plan of `days` ends: whole days later, to the millisecond. */
export function trialEndsAt(startedAt: Date, days: number): Date {
  return new Date(startedAt.getTime() + days * 86_400_000);
}

/**
 * Modules at signup: a trial takes them with its first period; a freemium account takes none (it adds
 * modules later, as upgrades of the account).
 */
export function takesModulesAtSignup(kind: AccountKind): boolean {
  return kind === 'trial';
}

/** The states an account opens with (seed 000's dimensions) and the status of its subscription. */
export interface OpeningStates {
  activation: 'trial' | 'active';
  conversion: 'trial' | 'freemium';
  operation: 'setup' | 'operating';
  subscription: 'trial' | 'free';
}

/**
 * A trial opens in its free period, still being set up; a freemium account is active and operating at
 * once on its free plan, which nothing ever expires.
 */
export const OPENING_STATES: Record<AccountKind, OpeningStates> = {
  trial: { activation: 'trial', conversion: 'trial', operation: 'setup', subscription: 'trial' },
  freemium: { activation: 'active', conversion: 'freemium', operation: 'operating', subscription: 'free' },
};
