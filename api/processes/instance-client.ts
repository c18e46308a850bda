/**
 * The API's Temporal calls for process instances. Temporal owns their identity: the workflow id is
 * `<definitionId>/<businessKey>`, a second running one is refused by its id conflict policy, and the
 * instance id is the chain's first run id. A start or a routed message is one update-with-start.
 * Search attributes are the workflow's own to set (workflows/search-attributes.ts), whoever starts it.
 */
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowUpdateStage, type Client } from '@temporalio/client';
import type { CauceConfig } from '../../lib/config';
import { within } from '../../lib/deadline';
import { instanceHandle, type InstanceRef } from '../../lib/temporal';
import { INTERPRETER_WORKFLOW, messageUpdate, type InterpreterInput, type MessageInput, type MessageResult } from '../../workflows/messages';
import type { DefinitionVersion } from '../../workflows/model';
import { workflowIdOf } from '../../workflows/workflow-ids';
import { conflict, HttpError } from '../errors';
import { toHttpError } from '../temporal-errors';

/** What opening an instance answers: its outcome so far, or `pending` when it took longer than the wait. */
export type Opened = (MessageResult & { pending: false }) | { instanceId: string; pending: true };

export interface OpenRequest {
  definition: DefinitionVersion;
  businessKey: string;
  variables: Record<string, unknown>;
  startedBy: string;
  message: MessageInput;
  /** FAIL: a running instance is a 409. USE_EXISTING: the message goes to it as its event. */
  ifRunning: 'FAIL' | 'USE_EXISTING';
  /** How long to wait for the opening (or the event) to be taken before answering `pending`. */
  waitMs: number;
}

export function createInstanceClient(temporal: Client, config: Pick<CauceConfig, 'temporal'>) {
  /** The running instance's id under a workflow id (for a 409), or null when it no longer runs. */
  async function runningInstanceId(workflowId: string): Promise<string | null> {
    try {
      const { status, raw } = await temporal.workflow.getHandle(workflowId).describe();
      return status.name === 'RUNNING' ? raw.workflowExecutionInfo?.firstRunId || null : null;
    } catch {
      return null;
    }
  }

  return {
    workflowIdOf,

    handle: (ref: InstanceRef) => instanceHandle(temporal, ref),

    /**
     * Starts the instance of `definition` for the business key, or (USE_EXISTING) delivers the message
     * to the one running, in one call. Answers once the opening has settled (every path waits or the
     * instance ended) or the event was taken; `pending` past `waitMs`.
     */
    async open(r: OpenRequest): Promise<Opened> {
      const workflowId = workflowIdOf(r.definition.id, r.businessKey);
      const input: InterpreterInput = {
        definition: r.definition,
        businessKey: r.businessKey,
        variables: r.variables,
        startedBy: r.startedBy,
        openingMessageId: r.message.messageId,
        options: { searchAttributes: true, continueAsNewAfterEvents: config.temporal.continueAsNewAfterEvents },
      };
      const start = new WithStartWorkflowOperation(INTERPRETER_WORKFLOW, {
        taskQueue: config.temporal.taskQueue,
        workflowId,
        args: [input],
        workflowIdConflictPolicy: r.ifRunning,
        staticSummary: `${r.definition.definition.name} · ${r.businessKey}`,
        staticDetails: [
          `**${r.definition.id}** v${r.definition.version}`,
          `business key: \`${r.businessKey}\``,
          `started by: ${r.startedBy}`,
        ].join('\n\n'),
      });
      try {
        const answer = async (): Promise<Opened> => {
          const update = await temporal.workflow.startUpdateWithStart(messageUpdate, {
            args: [r.message],
            waitForStage: WorkflowUpdateStage.ACCEPTED,
            startWorkflowOperation: start,
          });
          return { ...(await update.result()), pending: false };
        };
        // Past the wait (no worker takes it yet, or the opening runs long) the instance still runs:
        // the caller learns its id and reads on. The call itself carries on in the background.
        return await within(answer(), r.waitMs, async (): Promise<Opened> => {
          const running = await runningInstanceId(workflowId);
          if (!running) throw new HttpError(503, 'temporal_unavailable', `${workflowId} did not start in time; try again`, { workflowId });
          return { instanceId: running, pending: true };
        });
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) {
          const runningId = await runningInstanceId(workflowId);
          throw conflict('duplicate_business_key', `A running ${r.definition.id} process already has business key ${r.businessKey}`, {
            definitionId: r.definition.id,
            businessKey: r.businessKey,
            runningId,
          });
        }
        const mapped = toHttpError(err, workflowId);
        throw mapped instanceof HttpError ? mapped : new HttpError(503, 'temporal_unavailable', `Could not start the workflow: ${(err as Error).message}`, { workflowId });
      }
    },
  };
}

export type InstanceClient = ReturnType<typeof createInstanceClient>;
