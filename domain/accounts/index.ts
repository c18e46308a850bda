/** Digital accounts (seed 000): plans, trial length, what signup may take. */
export {
  DEFAULT_PLAN, DEFAULT_TRIAL_DAYS, planProblem, takesModulesAtSignup, trialDays, trialEndsAt, type AccountKind, type PlanFacts, type PlanProblem,
} from './plans';
