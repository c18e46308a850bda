/**
 * Works the rows of a CRM import after the upload was answered: a few rows at a time, each recorded
 * (with the import's counters) as soon as it is done, so `GET /api/imports/:id` shows the progress and a
 * failure keeps every row finished before it.
 */
import { HttpError } from '../errors';
import { logger } from '../logger';
import type { CheckedRow } from './contacts-csv';
import type { ImportStore } from './import-store';
import type { LeadInput } from './store';

/**
 * Rows in flight at once. Each holds a database connection for its transaction and starts a workflow;
 * a handful keeps the import quick without starving the API and the worker of the shared pool.
 */
export const ROWS_IN_FLIGHT = 4;

export type OpenLead = (lead: LeadInput) => Promise<{ opportunityId: string; contactId: string; created: boolean; started: boolean }>;

class RowFailed extends Error {
  constructor(
    readonly line: number,
    cause: unknown,
  ) {
    super(`line ${line}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** The row's outcome: invalid, created or duplicate. Anything else is a RowFailed naming its line. */
async function workRow(store: ImportStore, importId: string, row: CheckedRow, openLead: OpenLead, actor: string): Promise<void> {
  try {
    if (row.reasons) return await store.recordRow(importId, { line: row.line, status: 'invalid', errors: row.reasons });
    let opened;
    try {
      opened = await openLead({ ...row.lead, importId, actor });
    } catch (err) {
      // The same rules were checked before the import started; an owner deactivated since is still the row's fault.
      if (!(err instanceof HttpError) || err.code !== 'invalid_lead') throw err;
      const reasons = Array.isArray(err.details) ? err.details.map((d: { message: string }) => d.message) : [err.message];
      return await store.recordRow(importId, { line: row.line, status: 'invalid', errors: reasons });
    }
    await store.recordRow(importId, {
      line: row.line,
      // `started` without `created`: an open opportunity left without its process by an earlier failure, now started.
      status: opened.created || opened.started ? 'created' : 'duplicate',
      contactId: opened.contactId,
      opportunityId: opened.opportunityId,
    });
  } catch (err) {
    throw new RowFailed(row.line, err);
  }
}

/** Never rejects: the outcome (completed, or failed with the first failing line) is written on the import. */
export async function runImport(store: ImportStore, importId: string, rows: CheckedRow[], openLead: OpenLead, actor: string): Promise<void> {
  try {
    for (let i = 0; i < rows.length; i += ROWS_IN_FLIGHT) {
      const batch = rows.slice(i, i + ROWS_IN_FLIGHT);
      // Settle the whole batch before stopping, so no row is still writing once the import reads failed.
      const results = await Promise.allSettled(batch.map((row) => workRow(store, importId, row, openLead, actor)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
    await store.finish(importId, { status: 'completed' });
  } catch (err) {
    logger.error({ err, importId }, 'contact import failed');
    const error = err instanceof Error ? err.message : String(err);
    await store.finish(importId, { status: 'failed', error }).catch((e) => logger.error({ err: e, importId }, 'could not mark the import failed'));
  }
}
