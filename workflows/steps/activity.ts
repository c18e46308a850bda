import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { ActivityStep } from '../model';
import { goTo, type StepHandler } from './types';

export const activity: StepHandler<ActivityStep> = async ({ step, pos, services }) => {
  const input = step.input ? await services.resolve(step.input, pos.stepId, 'input') : { ...services.variables };
  const run = services.activity(step.activity, step);
  try {
    const result = await run(input, services.stepContext(pos));
    if (step.output) services.variables[step.output] = result;
    return goTo(step.next);
  } catch (err) {
    if (!step.onError || !(err instanceof ActivityFailure)) throw err;
    const cause = err.cause instanceof ApplicationFailure ? err.cause : undefined;
    services.variables.lastError = {
      step: pos.stepId,
      activity: step.activity,
      type: cause?.type ?? err.cause?.name ?? 'Error',
      message: err.cause?.message ?? err.message,
    };
    return { next: step.onError.next };
  }
};
