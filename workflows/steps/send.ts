import type { SendStep } from '../model';
import { workflowIdOf } from '../workflow-ids';
import { goTo, type StepHandler } from './types';

/**
 * Tells another process an event: a signal to the workflow `<definition>/<businessKey>`, whose
 * interpreter keeps it until a step takes it (or drops it when none ahead can). The event id is this
 * step's visit, so a repeat is taken once. A key with nothing running is no fault: the receiver may
 * have ended on its own (a lead funnel that timed out); `output` records whether it was delivered.
 */
export const send: StepHandler<SendStep> = async ({ step, pos, services }) => {
  const ctx = services.stepContext(pos);
  const businessKey = String(await services.resolve(step.to.businessKey, pos.stepId, 'to/businessKey'));
  const payload = (step.payload ? await services.resolve(step.payload, pos.stepId, 'payload') : {}) as Record<string, unknown>;
  const delivered = await services.signalProcess(workflowIdOf(step.to.definition, businessKey), {
    name: step.event,
    eventId: ctx.key,
    payload,
    actor: `process:${ctx.instanceId}`,
  });
  if (step.output) services.variables[step.output] = { delivered };
  return goTo(step.next);
};
