import type { SetStageStep } from '../model';
import { goTo, type StepHandler } from './types';

export const setStage: StepHandler<SetStageStep> = async ({ step, pos, services }) => {
  const named = step.actor === undefined ? null : await services.resolve(step.actor, pos.stepId, 'actor');
  const actor = typeof named === 'string' && named !== '' ? named : 'system';
  services.recordStage(step.stage, actor);
  const ctx = services.stepContext(pos);
  await services.engine['engine.setStage']({ key: ctx.key, instanceId: ctx.instanceId, stage: step.stage, actor, at: new Date(services.now()).toISOString() });
  return goTo(step.next);
};
