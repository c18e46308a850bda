import { eventNames } from '../definition';
import type { Position } from '../instance';
import type { ExternalEvent } from '../messages';
import type { EventMap, WaitStep } from '../model';
import type { StepHandler, StepServices } from './types';

/**
 * Waits for the first of its events or its timer. Events that arrived earlier are buffered by the
 * instance, so a payment webhook that beats the process to this step is not lost. A wait without a
 * timer waits for as long as it takes: there is no hidden default timeout.
 */
export const wait: StepHandler<WaitStep> = async ({ step, pos, services }) => {
  const names = eventNames(step);
  if (step.timer && pos.deadline === undefined) {
    pos.deadline = await services.resolveDeadline(step.timer.after, pos.enteredAt, `step "${pos.stepId}" timer`, pos.stepId, 'timer/after');
  }
  for (;;) {
    const ready = () => services.hasEvent(names) || services.shouldPark();
    if (pos.deadline === undefined) {
      await services.waitUntil(pos, ready);
    } else {
      const remaining = pos.deadline - services.now();
      if (remaining <= 0 || !(await services.waitUntil(pos, ready, remaining))) return { next: step.timer!.next };
    }
    const event = services.takeEvent(names);
    if (!event) {
      services.parkIfDue();
      continue;
    }
    return consumeEvent(services, pos, step.events!, event);
  }
};

/**
 * The step takes `event`: its output variable gets the payload (plus `eventId` and `sentBy`), the audit
 * trail records it, and the step moves on where the event leads. Shared by waits and user tasks.
 */
export async function consumeEvent(services: StepServices, pos: Position, events: EventMap, event: ExternalEvent): Promise<{ next: string }> {
  const target = events[event.name];
  if (target.output) services.variables[target.output] = { ...(event.payload ?? {}), eventId: event.eventId, sentBy: event.actor };
  const ctx = services.stepContext(pos);
  await services.engine['engine.audit']({
    key: `${ctx.key}:event`,
    instanceId: ctx.instanceId,
    kind: 'event.received',
    stepId: pos.stepId,
    actor: event.actor,
    details: { name: event.name, eventId: event.eventId },
  });
  return { next: target.next };
}
