import { ApplicationFailure } from '@temporalio/workflow';
import type { ChoiceStep } from '../model';
import type { StepHandler } from './types';

/** The first condition that holds wins; JSONata truthiness, so a missing variable is false, not an error. */
export const choice: StepHandler<ChoiceStep> = async ({ step, pos, instance }) => {
  for (const option of step.choices) {
    const expr = option.when.startsWith('=') ? option.when : `=${option.when}`;
    if (await instance.resolve(`=$boolean(${expr.slice(1)})`)) return { next: option.next };
  }
  if (step.default) return { next: step.default };
  throw ApplicationFailure.nonRetryable(`choice "${pos.stepId}": no condition held and there is no default`, 'NoChoiceMatched');
};
