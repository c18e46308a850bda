import { executeChild, ParentClosePolicy } from '@temporalio/workflow';
import { engine } from '../instance';
import { INTERPRETER_WORKFLOW, type InterpreterInput } from '../messages';
import type { SubProcessStep } from '../model';
import { goTo, type StepHandler } from './types';

/**
 * Runs another definition as a child workflow. The definition version is resolved by an activity, so
 * the choice is recorded in history and replay never depends on what is deployed later.
 */
export const subProcess: StepHandler<SubProcessStep> = async ({ step, pos, instance }) => {
  const ctx = instance.stepContext(pos);
  const definition = await engine['engine.resolveDefinition']({ id: step.definition, version: step.version });
  const businessKey = step.businessKey === undefined ? `${instance.state.businessKey}/${pos.stepId}` : String(await instance.resolve(step.businessKey, pos.stepId, 'businessKey'));
  const variables = (step.input ? await instance.resolve(step.input, pos.stepId, 'input') : {}) as Record<string, unknown>;
  const childId = ctx.key;
  const child: InterpreterInput = {
    instanceId: childId,
    definition,
    businessKey,
    variables,
    startedBy: `process:${instance.state.instanceId}`,
    options: instance.input.options,
  };
  const result = await executeChild(INTERPRETER_WORKFLOW, {
    workflowId: childId,
    args: [child],
    parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
  });
  if (step.output) instance.state.variables[step.output] = result;
  return goTo(step.next);
};
