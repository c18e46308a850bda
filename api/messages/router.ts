/**
 * Business messages sent with a business key (`account.payment` for sale 42…), routed as the
 * definitions declare in their `messages` section: to the instance of a listener running for that key
 * (its workflow id is `<definitionId>/<businessKey>`: Temporal finds it, no table is read), as the
 * declared event; listeners that do not start are tried first, then the one that `starts`, through
 * update-with-start (it joins the instance already running or starts one). The API names the message;
 * which process hears it lives in the YAML.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { within } from '../../lib/deadline';
import { messageListeners } from '../../lib/definitions/store';
import { EventErrors, messageUpdate, type MessageInput, type MessageResult } from '../../workflows/messages';
import type { MessageListener } from '../../workflows/model';
import { workflowIdOf } from '../../workflows/workflow-ids';
import type { AppDeps } from '../deps';
import { conflict, HttpError } from '../errors';
import type { ProcessService } from '../processes/service';
import type { Opened } from '../processes/instance-client';
import { toHttpError } from '../temporal-errors';
import type { SessionUser } from '../types';

export interface Message {
  name: string;
  businessKey: string;
  /** Idempotency id: a repeat with the same id is answered, not taken twice. */
  messageId: string;
  /** The event's payload for a running instance; also what `when` is matched against. */
  payload: Record<string, unknown>;
  /** The start variables, when a listener that `starts` starts an instance. */
  variables?: Record<string, unknown>;
  /** How long to wait for the instance to take it (or to settle, when it starts one); then `pending`. */
  waitMs?: number;
}

export interface Routed {
  definitionId: string;
  opened: Opened;
}

const matches = (listener: MessageListener, payload: Record<string, unknown>) =>
  Object.entries(listener.when ?? {}).every(([field, value]) => payload[field] === value);

/** Answers meaning no process takes the message (none runs for the key, it ended, or it waits for another): sending it again changes nothing. */
export const NOT_HEARD: ReadonlySet<string> = new Set(['not_heard', 'not_running', EventErrors.notAwaited]);

export function createMessageRouter({ db, temporal, config }: AppDeps, processes: ProcessService) {
  /** Delivers to the running instance of `definitionId` for the key; null when none runs. */
  async function deliver(definitionId: string, m: Message, input: MessageInput): Promise<Routed | null> {
    const workflowId = workflowIdOf(definitionId, m.businessKey);
    try {
      const update = await temporal.workflow.getHandle(workflowId).startUpdate(messageUpdate, { args: [input], waitForStage: 'ACCEPTED' });
      const opened = await within(
        update.result().then((r: MessageResult): Opened => ({ ...r, pending: false })),
        m.waitMs ?? config.http.timeouts.eventDeliveryMs,
        () => {
          throw new HttpError(504, 'event_pending', `${workflowId} has the ${m.name} message but has not taken it yet; send it again with the same id to learn the outcome`, {
            workflowId,
            messageId: m.messageId,
          });
        },
      );
      return { definitionId, opened };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return null;
      throw toHttpError(err, workflowId);
    }
  }

  return {
    /** Where the message went and what the instance answered; 409 `not_heard` when nothing took it. */
    async send(user: SessionUser, m: Message): Promise<Routed> {
      const listeners = (await messageListeners(db, m.name)).filter((l) => matches(l.listener, m.payload));
      const ordered = [...listeners.filter((l) => !l.listener.starts), ...listeners.filter((l) => l.listener.starts)];
      for (const { dv, listener } of ordered) {
        const input: MessageInput = { messageId: m.messageId, event: listener.event, payload: m.payload, actor: user.username };
        if (!listener.starts) {
          const routed = await deliver(dv.id, m, input);
          if (routed) return routed;
          continue;
        }
        const { opened } = await processes.open(
          user,
          { definitionId: dv.id, version: dv.version, businessKey: m.businessKey, variables: m.variables ?? {} },
          input,
          { internal: true, ifRunning: listener.event ? 'USE_EXISTING' : 'FAIL', ...(m.waitMs ? { waitMs: m.waitMs } : {}) },
        );
        return { definitionId: dv.id, opened };
      }
      throw conflict('not_heard', `No process runs for ${m.businessKey} that takes the ${m.name} message${listeners.length ? ` (heard by ${listeners.map((l) => l.dv.id).join(', ')})` : ''}`, {
        message: m.name,
        businessKey: m.businessKey,
        listeners: listeners.map((l) => l.dv.id),
      });
    },
  };
}

export type MessageRouter = ReturnType<typeof createMessageRouter>;
