import { ApplicationFailure, getExternalWorkflowHandle } from '@temporalio/workflow';
import { eventSignal } from '../messages';
import type { SendStep } from '../model';
import { workflowIdOf } from '../workflow-ids';
import { goTo, type StepHandler } from './types';

/**
 * Tells another process an event: a signal to the workflow `<definition>/<businessKey>`, whose
 * interpreter keeps it until a step takes it (or drops it when none ahead can). The event id is this
 * step's visit, so a repeat is taken once. A key with nothing running is no fault: the receiver may
 * have ended on its own (a lead funnel that timed out); `output` records whether it was delivered.
 */
export const send: StepHandler<SendStep> = async ({ step, pos, instance }) => {
  const ctx = instance.stepContext(pos);
  const businessKey = String(await instance.resolve(step.to.businessKey, pos.stepId, 'to/businessKey'));
  const payload = (step.payload ? await instance.resolve(step.payload, pos.stepId, 'payload') : {}) as Record<string, unknown>;
  let delivered = true;
  try {
    await getExternalWorkflowHandle(workflowIdOf(step.to.definition, businessKey)).signal(eventSignal, {
      name: step.event,
      eventId: ctx.key,
      payload,
      actor: `process:${ctx.instanceId}`,
    });
  } catch (err) {
    if (!(err instanceof ApplicationFailure) && !(err instanceof Error && /not found/i.test(err.message))) throw err;
    delivered = false;
  }
  if (step.output) instance.state.variables[step.output] = { delivered };
  return goTo(step.next);
};
