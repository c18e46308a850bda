import type { SetStageStep } from '../model';
import { engine } from '../instance';
import { goTo, type StepHandler } from './types';

export const setStage: StepHandler<SetStageStep> = async ({ step, pos, instance }) => {
  instance.recordStage(step.stage, 'system');
  const ctx = instance.stepContext(pos);
  await engine['engine.setStage']({ key: ctx.key, instanceId: ctx.instanceId, stage: step.stage, actor: 'system', at: new Date().toISOString() });
  return goTo(step.next);
};
