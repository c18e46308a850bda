import { ApplicationFailure } from '@temporalio/workflow';
import { ExpressionError } from '../expressions';
import type { ChoiceStep } from '../model';
import type { StepHandler } from './types';

const WRAP = '$boolean(';

/** The first condition that holds wins; JSONata truthiness, so a missing variable is false, not an error. */
export const choice: StepHandler<ChoiceStep> = async ({ step, pos, services }) => {
  for (const [i, option] of step.choices.entries()) {
    const when = option.when.startsWith('=') ? option.when.slice(1) : option.when;
    let holds: unknown;
    try {
      holds = await services.resolve(`=${WRAP}${when})`);
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
      throw err.shifted(-WRAP.length, when).at(services.pointer(pos.stepId, `choices/${i}/when`));
    }
    if (holds) return { next: option.next };
  }
  if (step.default) return { next: step.default };
  throw ApplicationFailure.nonRetryable(`choice "${pos.stepId}": no condition held and there is no default`, 'NoChoiceMatched');
};
