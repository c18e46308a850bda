import type { SetStageStep } from '../model';
import { engine } from '../instance';
import { goTo, type StepHandler } from './types';

export const setStage: StepHandler<SetStageStep> = async ({ step, pos, instance }) => {
  const named = step.actor === undefined ? null : await instance.resolve(step.actor, pos.stepId, 'actor');
  const actor = typeof named === 'string' && named !== '' ? named : 'system';
  instance.recordStage(step.stage, actor);
  const ctx = instance.stepContext(pos);
  await engine['engine.setStage']({ key: ctx.key, instanceId: ctx.instanceId, stage: step.stage, actor, at: new Date().toISOString() });
  return goTo(step.next);
};
