/**
 * The store of CRM imports (`imports`) and their rows (`import_rows`), every read and write of them:
 * the upload (api/opportunities/import-upload.ts) stores the rows `pending`, the import job's activities
 * (activities/imports.ts) record each row's outcome and the import's end, and the API reads the progress.
 */
import type { Knex } from 'knex';

export type ImportStatus = 'running' | 'completed' | 'failed';
/** What the import job made of a row. */
export type RowOutcome = 'created' | 'duplicate' | 'invalid';
/** `pending`: stored by the upload, not worked by the import job yet. */
export type RowStatus = 'pending' | RowOutcome;

export interface ImportRow {
  id: string;
  kind: string;
  filename: string;
  content_sha256: string;
  status: ImportStatus;
  total_rows: number;
  processed_rows: number;
  created_rows: number;
  duplicate_rows: number;
  invalid_rows: number;
  error: string | null;
  created_by: string;
  created_at: Date;
  finished_at: Date | null;
}

export interface ImportRowResult {
  line: number;
  status: RowStatus;
  errors: string[];
  contact_id: string | null;
  opportunity_id: string | null;
}

/** A row as the import job reads it back: what the upload stored and what became of it. */
export interface StoredRow<Input = unknown> {
  line: number;
  status: RowStatus;
  input: Input | null;
  opportunity_id: string | null;
}

export function createImportStore(db: Knex) {
  return {
    async create(trx: Knex.Transaction, i: { filename: string; createdBy: string }): Promise<ImportRow> {
      // The hash and the row count are known once the whole file has streamed in (setReceived).
      const [row] = await trx('imports')
        .insert({ kind: 'contacts', filename: i.filename, content_sha256: '', created_by: i.createdBy })
        .returning('*');
      return row as ImportRow;
    },

    async get(id: string): Promise<ImportRow | null> {
      return ((await db('imports').where({ id }).first()) as ImportRow | undefined) ?? null;
    },

    /** The rows of an upload, stored `pending` with what the file said; the import job works them. */
    async addPending(trx: Knex.Transaction, importId: string, rows: Array<{ line: number; input: unknown }>) {
      if (rows.length === 0) return;
      // One JSON parameter, unpacked by Postgres: building a statement with thousands of bindings takes
      // tens of milliseconds of the event loop.
      await trx.raw(
        `insert into import_rows (import_id, line, status, input)
         select ?, (r->>'line')::int, 'pending', r->'input' from jsonb_array_elements(?::jsonb) as r`,
        [importId, JSON.stringify(rows)],
      );
    },

    /** What is known once the whole file has streamed in. */
    async setReceived(trx: Knex.Transaction, importId: string, r: { totalRows: number; sha256: string }): Promise<ImportRow> {
      const [row] = await trx('imports').where({ id: importId }).update({ total_rows: r.totalRows, content_sha256: r.sha256 }).returning('*');
      return row as ImportRow;
    },

    /** An import whose job could not be started: it was never accepted. */
    async delete(id: string) {
      await db('imports').where({ id }).delete();
    },

    async rows(importId: string, f: { status?: RowStatus; limit: number; offset: number }): Promise<{ rows: ImportRowResult[]; total: number }> {
      // Rows the job has not worked yet are listed only when asked for (`status=pending`).
      const where = (q: Knex.QueryBuilder) =>
        f.status ? q.where({ import_id: importId, status: f.status }) : q.where({ import_id: importId }).whereNot({ status: 'pending' });
      const [rows, [{ count }]] = await Promise.all([
        where(db('import_rows')).orderBy('line').limit(f.limit).offset(f.offset).select('line', 'status', 'errors', 'contact_id', 'opportunity_id'),
        where(db('import_rows')).count<{ count: string }[]>({ count: '*' }),
      ]);
      return { rows: rows as ImportRowResult[], total: Number(count) };
    },

    /** The lines of the import from `fromLine` on, at most `limit`, in order. */
    async linesFrom(importId: string, fromLine: number, limit: number): Promise<number[]> {
      return (await db('import_rows').where({ import_id: importId }).andWhere('line', '>=', fromLine).orderBy('line').limit(limit).pluck('line')) as number[];
    },

    async hasPendingAfter(importId: string, line: number): Promise<boolean> {
      return Boolean(await db('import_rows').where({ import_id: importId, status: 'pending' }).andWhere('line', '>', line).first('line'));
    },

    /** The row, locked until `trx` ends: one worker works it. */
    async lockRow<Input>(trx: Knex.Transaction, importId: string, line: number): Promise<StoredRow<Input>> {
      return (await trx('import_rows').where({ import_id: importId, line }).forUpdate().first('line', 'status', 'input', 'opportunity_id')) as StoredRow<Input>;
    },

    /** The row's outcome and the import's counters, together in `trx`. */
    async recordOutcome(
      trx: Knex.Transaction,
      importId: string,
      line: number,
      o: { status: RowOutcome; errors?: string[]; contactId?: string; opportunityId?: string },
    ): Promise<void> {
      await trx('import_rows')
        .where({ import_id: importId, line })
        .update({ status: o.status, errors: JSON.stringify(o.errors ?? []), contact_id: o.contactId ?? null, opportunity_id: o.opportunityId ?? null });
      await trx('imports')
        .where({ id: importId })
        .increment({ processed_rows: 1, [`${o.status}_rows`]: 1 });
    },

    /** Only a running import finishes: a retry (or a replayed job) changes nothing. */
    async finish(outcome: { importId: string; status: 'completed' } | { importId: string; status: 'failed'; error: string }): Promise<void> {
      await db('imports')
        .where({ id: outcome.importId, status: 'running' })
        .update({ status: outcome.status, error: outcome.status === 'failed' ? outcome.error : null, finished_at: db.fn.now() });
    },
  };
}

export type ImportStore = ReturnType<typeof createImportStore>;
