/** Digital accounts (seed 000): plans, trial length, what signup may take, the states an account opens with. */
export {
  DEFAULT_PLAN, DEFAULT_TRIAL_DAYS, OPENING_STATES, planProblem, takesModulesAtSignup, trialDays, trialEndsAt, type AccountKind, type OpeningStates,
  type PlanFacts, type PlanProblem,
} from './plans';
