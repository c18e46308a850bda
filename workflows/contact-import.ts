/**
 * A CRM contact import as a durable job: the rows the upload stored are worked in ranges by an
 * activity (idempotent per row), and each row that opened an opportunity gets its digital-opportunity
 * process as an abandoned child, which outlives the import. A worker that dies mid-range is replaced
 * and the range is worked again: rows found done are not done twice. The workflow id is derived from
 * the import id (`contactImportWorkflowId`), so an import has exactly one job.
 */
import {
  ActivityFailure,
  continueAsNew,
  ParentClosePolicy,
  patched,
  proxyActivities,
  startChild,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { workflowIdOf } from './workflow-ids';
import type { EngineActivities } from '../activities/context';
import type { ImportActivities } from '../activities/imports';
import { INTERPRETER_WORKFLOW, type InterpreterInput, type InterpreterOptions } from './messages';

export const CONTACT_IMPORT_WORKFLOW = 'contactImport';

export const contactImportWorkflowId = (importId: string): string => `contact-import/${importId}`;

export interface ContactImportInput {
  importId: string;
  /** Who uploaded the file: the opportunities' actor and the processes' `startedBy`. */
  actor: string;
  /** The definition each created row's process runs (the lead funnel, digital-opportunity). */
  funnelDefinition: string;
  /** Rows per activity call. */
  rowsPerRange: number;
  /** The options of the processes it starts (as the API gives its own). */
  processOptions: InterpreterOptions;
  /** Set when the job continues as new: the first line not worked yet. */
  fromLine?: number;
}

const { 'imports.workRows': workRows, 'imports.finish': finish } = proxyActivities<ImportActivities>({
  // A range is a hundred short transactions; the heartbeat after each group of rows notices a dead worker quickly.
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

const { 'engine.resolveDefinition': resolveDefinition } = proxyActivities<EngineActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

/** Each child start carries the definition; a few megabytes of history per run keeps replays quick. */
const MAX_HISTORY_BYTES = 4 * 1024 * 1024;

export async function contactImport(input: ContactImportInput): Promise<void> {
  // Resolved once per run and recorded in history: every row of the run starts the same version.
  let definition;
  try {
    definition = await resolveDefinition({ id: input.funnelDefinition });
  } catch (err) {
    // Not deployed: no row can start its process, so none is worked.
    const message = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
    await finish({ importId: input.importId, status: 'failed', error: `the ${input.funnelDefinition} process cannot be started: ${message}` });
    return;
  }
  // Runs recorded before workflow ids came from business keys started children under random ids.
  const byBusinessKey = patched('business-key-ids');
  let fromLine = input.fromLine ?? 0;
  for (;;) {
    const worked = await workRows({ importId: input.importId, fromLine, limit: input.rowsPerRange, actor: input.actor });
    await Promise.all(
      worked.toStart.map(async (row) => {
        const child: InterpreterInput = {
          ...(byBusinessKey ? {} : { instanceId: uuid4() }),
          definition,
          businessKey: row.opportunityId,
          variables: row.variables,
          startedBy: input.actor,
          options: input.processOptions,
        };
        const workflowId = byBusinessKey ? workflowIdOf(definition.id, row.opportunityId) : child.instanceId!;
        try {
          await startChild(INTERPRETER_WORKFLOW, { workflowId, args: [child], parentClosePolicy: ParentClosePolicy.ABANDON });
        } catch (err) {
          // The opportunity's funnel already runs (a lead for it came in meanwhile): it is that one's.
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        }
      }),
    );
    if (worked.failure) {
      await finish({ importId: input.importId, status: 'failed', error: `line ${worked.failure.line}: ${worked.failure.message}` });
      return;
    }
    if (worked.nextLine === null) {
      await finish({ importId: input.importId, status: 'completed' });
      return;
    }
    fromLine = worked.nextLine;
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historySize > MAX_HISTORY_BYTES) {
      await continueAsNew<typeof contactImport>({ ...input, fromLine });
    }
  }
}
