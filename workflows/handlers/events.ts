/** The messages that bring an event to the instance: the `event` signal, `deliverEvent` and `message` updates. */
import { condition, setHandler, type ApplicationFailure } from '@temporalio/workflow';
import { canTakeEvent } from '../definition';
import type { ProcessInstance } from '../instance';
import {
  deliverEventUpdate,
  EventErrors,
  eventSignal,
  messageUpdate,
  type DeliverEventResult,
  type ExternalEvent,
  type MessageInput,
  type MessageResult,
} from '../messages';
import { failure } from './failure';

export function registerEventHandlers(instance: ProcessInstance): void {
  const { state, runtime, steps, input } = instance;

  setHandler(eventSignal, (event) => {
    if (state.status === 'running') instance.acceptEvent(event);
  });

  /**
   * Takes the event, answering once a step has taken it, so the caller never hears "accepted" for an
   * event the process then ends without (e.g. a payment racing the trial's last day). A repeat of an
   * event still kept waits for the same outcome.
   */
  async function deliver(event: ExternalEvent): Promise<DeliverEventResult> {
    const known = runtime.seenEvents.includes(event.eventId);
    if (known && !instance.isPending(event.eventId)) {
      if (instance.expiredEvents.has(event.eventId)) throw expired(event.name);
      return { eventId: event.eventId, duplicate: true };
    }
    instance.acceptEvent(event);
    await condition(() => !instance.isPending(event.eventId) || instance.parking || state.status !== 'running');
    if (instance.expiredEvents.has(event.eventId)) throw expired(event.name);
    if (instance.isPending(event.eventId) && !instance.parking) {
      throw failure(EventErrors.notAwaited, `the process ended without taking the ${event.name} event`);
    }
    return { eventId: event.eventId, duplicate: known };
  }

  function validateDelivery(event: ExternalEvent): void {
    if (runtime.seenEvents.includes(event.eventId)) return;
    const standing = instance.standingSteps();
    if (state.status !== 'running' || !canTakeEvent(steps, standing, event.name)) {
      throw failure(EventErrors.notAwaited, `no step ahead of ${standing.join(', ') || 'the end'} takes a ${event.name} event`, { currentSteps: standing });
    }
    // One delivery of an event at a time: a second payment while the first is still being taken
    // is refused at once, instead of queueing behind it and being billed (or parked) later.
    const waiting = runtime.pendingEvents.find((e) => e.name === event.name);
    if (waiting) {
      throw failure(EventErrors.inFlight, `a ${event.name} event (${waiting.eventId}) is still being taken; send this one again once it has been`, {
        eventId: waiting.eventId,
      });
    }
  }

  setHandler(deliverEventUpdate, deliver, { validator: validateDelivery });

  const isOpening = (m: MessageInput) => m.messageId === input.openingMessageId;
  const asEvent = (m: MessageInput): ExternalEvent => ({ name: m.event!, eventId: m.messageId, payload: m.payload ?? {}, actor: m.actor });

  setHandler(
    messageUpdate,
    async (m): Promise<MessageResult> => {
      if (isOpening(m)) {
        await condition(() => instance.settled());
        return { ...opening(), started: true, duplicate: false };
      }
      const delivered = await deliver(asEvent(m));
      return { ...opening(), started: false, duplicate: delivered.duplicate };
    },
    {
      validator: (m) => {
        if (isOpening(m)) return;
        if (!m.event) throw failure(EventErrors.notAwaited, `this ${state.definitionId} process is already running for ${state.businessKey}`);
        validateDelivery(asEvent(m));
      },
    },
  );

  function opening(): Omit<MessageResult, 'started' | 'duplicate'> {
    return {
      instanceId: state.instanceId,
      status: state.status === 'running' || state.status === 'completed' || state.status === 'cancelled' ? state.status : 'failed',
      stage: state.stage,
      variables: state.variables,
      incidents: instance.incidents.length,
      ...(state.failure ? { failure: state.failure } : {}),
    };
  }

  function expired(name: string): ApplicationFailure {
    return failure(EventErrors.notAwaited, `no step ahead can take the ${name} event any more: it was dropped`);
  }
}
