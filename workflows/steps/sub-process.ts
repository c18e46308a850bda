import { executeChild, ParentClosePolicy, patched } from '@temporalio/workflow';
import { workflowIdOf } from '../workflow-ids';
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
  // Children started before workflow ids came from business keys had the step's key as their id.
  const byBusinessKey = patched('business-key-ids');
  const child: InterpreterInput = {
    ...(byBusinessKey ? {} : { instanceId: ctx.key }),
    definition,
    businessKey,
    variables,
    startedBy: `process:${instance.state.instanceId}`,
    options: instance.input.options,
  };
  const result = await executeChild(INTERPRETER_WORKFLOW, {
    workflowId: byBusinessKey ? workflowIdOf(definition.id, businessKey) : ctx.key,
    args: [child],
    parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
  });
  if (step.output) instance.state.variables[step.output] = result;
  return goTo(step.next);
};
