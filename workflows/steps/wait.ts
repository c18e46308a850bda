import { eventNames } from '../definition';
import { engine, type Position, type ProcessInstance } from '../instance';
import type { ExternalEvent } from '../messages';
import type { EventMap, WaitStep } from '../model';
import type { StepHandler } from './types';

/**
 * Waits for the first of its events or its timer. Events that arrived earlier are buffered by the
 * instance, so a payment webhook that beats the process to this step is not lost. A wait without a
 * timer waits for as long as it takes: there is no hidden default timeout.
 */
export const wait: StepHandler<WaitStep> = async ({ step, pos, instance }) => {
  const names = eventNames(step);
  if (step.timer && pos.deadline === undefined) {
    pos.deadline = pos.enteredAt + (await instance.resolveDuration(step.timer.after, `step "${pos.stepId}" timer`, pos.stepId, 'timer/after'));
  }
  for (;;) {
    const ready = () => instance.hasEvent(names) || instance.shouldPark();
    if (pos.deadline === undefined) {
      await instance.waitUntil(pos, ready);
    } else {
      const remaining = pos.deadline - Date.now();
      if (remaining <= 0 || !(await instance.waitUntil(pos, ready, remaining))) return { next: step.timer!.next };
    }
    const event = instance.takeEvent(names);
    if (!event) {
      instance.parkIfDue();
      continue;
    }
    return consumeEvent(instance, pos, step.events!, event);
  }
};

/**
 * The step takes `event`: its output variable gets the payload (plus `eventId` and `sentBy`), the audit
 * trail records it, and the step moves on where the event leads. Shared by waits and user tasks.
 */
export async function consumeEvent(instance: ProcessInstance, pos: Position, events: EventMap, event: ExternalEvent): Promise<{ next: string }> {
  const target = events[event.name];
  if (target.output) instance.state.variables[target.output] = { ...(event.payload ?? {}), eventId: event.eventId, sentBy: event.actor };
  const ctx = instance.stepContext(pos);
  await engine['engine.audit']({
    key: `${ctx.key}:event`,
    instanceId: ctx.instanceId,
    kind: 'event.received',
    stepId: pos.stepId,
    actor: event.actor,
    details: { name: event.name, eventId: event.eventId },
  });
  return { next: target.next };
}
