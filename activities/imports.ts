/**
 * The CRM contact import job's side effects (workflows/contact-import.ts). The upload stored every row
 * as `pending` with its checked lead or its reasons (api/opportunities/import-upload.ts); these
 * activities turn pending rows into outcomes. A row is worked in one transaction with its outcome and
 * the import's counters, so a retry or a crashed worker finds it done and never opens a second
 * contact or opportunity; the row's status is the idempotency key (import id + line).
 */
import { heartbeat } from '@temporalio/activity';
import type { Knex } from 'knex';
import { createImportStore, type RowOutcome, type StoredRow } from '../lib/imports';
import { checkLead, ensureLead, funnelVariables, InvalidLead, type LeadInput } from '../lib/leads';

/**
 * Rows in flight at once. Each holds a database connection for its transaction; a handful keeps the
 * import quick without starving the API and the engine's activities of the shared pool.
 */
export const ROWS_IN_FLIGHT = 4;

/** What the upload stored for a row. */
export type RowInput = { lead: Omit<LeadInput, 'actor' | 'importId'>; reasons?: undefined } | { lead?: undefined; reasons: string[] };

/** A row whose opportunity is new (or had no process): the job starts its digital-opportunity process. */
export interface FunnelStart {
  line: number;
  opportunityId: string;
  variables: Record<string, unknown>;
}

export interface WorkedRows {
  /** Created rows of the range, including ones an earlier attempt recorded: their processes are not started yet. */
  toStart: FunnelStart[];
  /** Where the next range starts; null when the import has no pending row after this range. */
  nextLine: number | null;
  /** The first row that failed (a database error, not a bad row): the range stopped at the end of its group. */
  failure?: { line: number; message: string };
}

export interface ImportActivities {
  'imports.workRows'(input: { importId: string; fromLine: number; limit: number; actor: string }): Promise<WorkedRows>;
  'imports.finish'(input: { importId: string; status: 'completed' } | { importId: string; status: 'failed'; error: string }): Promise<void>;
}

type Outcome = { status: RowOutcome; errors?: string[]; contactId?: string; opportunityId?: string; start?: FunnelStart };

/** The row's outcome, in the caller's transaction. */
async function outcomeOf(trx: Knex.Transaction, importId: string, line: number, input: RowInput, actor: string): Promise<Outcome> {
  if (input.reasons) return { status: 'invalid', errors: input.reasons };
  let opened;
  try {
    opened = await ensureLead(trx, { ...input.lead, importId, actor });
  } catch (err) {
    // The same rules were checked at upload; an owner deactivated since is still the row's fault.
    if (err instanceof InvalidLead) return { status: 'invalid', errors: err.problems.map((p) => p.message) };
    throw err;
  }
  // An open opportunity left without its process (an earlier start failed) gets it now: a created row.
  const hasProcess = !opened.created && (await trx('process_instances').where({ business_key: opened.opportunityId }).first('id'));
  const ids = { contactId: opened.contactId, opportunityId: opened.opportunityId };
  if (hasProcess) return { status: 'duplicate', ...ids };
  return { status: 'created', ...ids, start: { line, opportunityId: opened.opportunityId, variables: funnelVariables(opened.opportunityId, opened.lead) } };
}

/** The funnel start of a row an earlier attempt recorded as created (its lead is checked again: a pure function). */
function startOf(row: StoredRow<RowInput>): FunnelStart | undefined {
  if (row.status !== 'created' || !row.input?.lead || !row.opportunity_id) return undefined;
  const { clean } = checkLead({ ...row.input.lead, actor: 'import' });
  return clean ? { line: row.line, opportunityId: row.opportunity_id, variables: funnelVariables(row.opportunity_id, clean) } : undefined;
}

export function createImportActivities({ db }: { db: Knex }): ImportActivities {
  const imports = createImportStore(db);

  /** Works one pending row; a row found done (an earlier attempt) is left as it is. */
  async function workRow(importId: string, line: number, actor: string): Promise<FunnelStart | undefined> {
    return db.transaction(async (trx) => {
      const row = await imports.lockRow<RowInput>(trx, importId, line);
      if (row.status !== 'pending') return startOf(row);
      const outcome = await outcomeOf(trx, importId, line, row.input!, actor);
      await imports.recordOutcome(trx, importId, line, outcome);
      return outcome.start;
    });
  }

  return {
    async 'imports.workRows'({ importId, fromLine, limit, actor }) {
      const lines = await imports.linesFrom(importId, fromLine, limit);
      const toStart: FunnelStart[] = [];
      for (let i = 0; i < lines.length; i += ROWS_IN_FLIGHT) {
        const group = lines.slice(i, i + ROWS_IN_FLIGHT);
        // Settle the whole group before stopping, so no row is still writing once the import reads failed.
        const results = await Promise.allSettled(group.map((line) => workRow(importId, line, actor)));
        for (const r of results) if (r.status === 'fulfilled' && r.value) toStart.push(r.value);
        const failed = results.findIndex((r) => r.status === 'rejected');
        if (failed >= 0) {
          const cause = (results[failed] as PromiseRejectedResult).reason;
          return { toStart, nextLine: null, failure: { line: group[failed], message: cause instanceof Error ? cause.message : String(cause) } };
        }
        heartbeat({ line: group[group.length - 1] });
      }
      const last = lines[lines.length - 1];
      const more = last !== undefined && (await imports.hasPendingAfter(importId, last));
      return { toStart, nextLine: more ? last + 1 : null };
    },

    async 'imports.finish'(outcome) {
      await imports.finish(outcome);
    },
  };
}
