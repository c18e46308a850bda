/**
 * The one way Node code (api, cli, scripts) reaches Temporal.
 */
import { Client, Connection, type WorkflowExecutionStatusName, type WorkflowHandle } from '@temporalio/client';
import type { CauceConfig, SearchAttributeTypeName } from './config';

/** Wire values of temporal.api.enums.v1.IndexedValueType (stable across server versions). */
const INDEXED_VALUE_TYPE: Record<SearchAttributeTypeName, number> = {
  Text: 1,
  Keyword: 2,
  Int: 3,
  Double: 4,
  Bool: 5,
  Datetime: 6,
  KeywordList: 7,
};

export async function connectClient(
  config: Pick<CauceConfig, 'temporal'>,
  address: string | undefined = config.temporal.address ?? undefined,
): Promise<{ client: Client; connection: Connection }> {
  if (!address) throw new Error('connectClient: temporal.address is null and no address was given (is the dev server running?)');
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  return { client, connection };
}

/**
 * Registers the custom search attributes that are missing on an existing server. A name that is
 * already registered with another type is an error: silently using it would break visibility queries.
 */
export async function ensureSearchAttributes(
  connection: Connection,
  namespace: string,
  attrs: Record<string, SearchAttributeTypeName>,
): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const existing = customAttributes ?? {};
  const missing: Record<string, number> = {};
  for (const [name, type] of Object.entries(attrs)) {
    const wanted = INDEXED_VALUE_TYPE[type];
    if (!(name in existing)) missing[name] = wanted;
    else if (Number(existing[name]) !== wanted) {
      throw new Error(`Search attribute ${name} exists in namespace ${namespace} with another type (wanted ${type})`);
    }
  }
  if (Object.keys(missing).length > 0) {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  }
  return Object.keys(missing);
}

/** How an instance's row names its workflow chain (rows from before business-key ids: workflow id = id). */
export interface InstanceRef {
  id: string;
  workflow_id: string;
}

/**
 * The handle of an instance's workflow chain: updates, cancel, terminate and result reach that chain,
 * never a later instance that reuses the workflow id. (Signals, queries and describe reach the workflow
 * id's latest run: callers check it is theirs.)
 */
export function instanceHandle(client: Client, ref: InstanceRef): WorkflowHandle {
  return ref.workflow_id === ref.id
    ? client.workflow.getHandle(ref.id)
    : client.workflow.getHandle(ref.workflow_id, undefined, { firstExecutionRunId: ref.id });
}

/**
 * The execution status of the instance's chain. The workflow id's latest run tells, when it belongs to
 * the chain; when a later instance reuses the id, this chain is closed and its first run says how
 * (a run that continued as new is reported closed: the chain's last run has the outcome).
 */
export async function chainStatus(client: Client, ref: InstanceRef): Promise<WorkflowExecutionStatusName> {
  const latest = await client.workflow.getHandle(ref.workflow_id).describe();
  if (ref.workflow_id === ref.id || latest.raw.workflowExecutionInfo?.firstRunId === ref.id) return latest.status.name;
  const first = await client.workflow.getHandle(ref.workflow_id, ref.id).describe();
  return first.status.name === 'CONTINUED_AS_NEW' || first.status.name === 'RUNNING' ? 'TERMINATED' : first.status.name;
}
