import type { SubProcessStep } from '../model';
import { goTo, type StepHandler } from './types';

/**
 * Runs another definition as a child workflow. The definition version is resolved by an activity, so
 * the choice is recorded in history and replay never depends on what is deployed later.
 */
export const subProcess: StepHandler<SubProcessStep> = async ({ step, pos, services }) => {
  const ctx = services.stepContext(pos);
  const definition = await services.engine['engine.resolveDefinition']({ id: step.definition, version: step.version });
  const businessKey = step.businessKey === undefined ? `${ctx.businessKey}/${pos.stepId}` : String(await services.resolve(step.businessKey, pos.stepId, 'businessKey'));
  const variables = (step.input ? await services.resolve(step.input, pos.stepId, 'input') : {}) as Record<string, unknown>;
  const result = await services.runChild(ctx.key, {
    definition,
    businessKey,
    variables,
    startedBy: `process:${ctx.instanceId}`,
  });
  if (step.output) services.variables[step.output] = result;
  return goTo(step.next);
};
