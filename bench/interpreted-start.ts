/**
 * How the benchmark starts an interpreter instance through the Temporal client (the
 * `interpreted/client` variant and the cache measurement). One function, so a change to how
 * instances are started (workflow ids, update-with-start) is made here once.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { INTERPRETER_WORKFLOW, type InterpreterInput } from '../workflows/messages';
import type { DefinitionVersion } from '../workflows/model';

/** Starts one instance of `dv`; resolves with its workflow id once Temporal acknowledged the start. */
export async function startInterpreted(client: Client, taskQueue: string, dv: DefinitionVersion, businessKey: string, startedBy: string): Promise<string> {
  const instanceId = randomUUID();
  const input: InterpreterInput = { instanceId, definition: dv, businessKey, variables: { email: 'bench@example.com' }, startedBy };
  await client.workflow.start(INTERPRETER_WORKFLOW, { taskQueue, workflowId: instanceId, args: [input] });
  return instanceId;
}
