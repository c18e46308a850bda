/**
 * The API's SQL for CRM imports (`imports`) and their rows (`import_rows`): the upload writes them,
 * the import job's activities (activities/imports.ts) work the rows, and the API reads the progress.
 */
import type { Knex } from 'knex';
import type { OwnerRef } from './contacts-csv';

export type ImportStatus = 'running' | 'completed' | 'failed';
/** `pending`: stored by the upload, not worked by the import job yet. */
export type RowStatus = 'pending' | 'created' | 'duplicate' | 'invalid';

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

export function createImportStore(db: Knex) {
  return {
    /** Owners by lower-cased email, for the `owner_email` column. */
    async ownersByEmail(): Promise<Map<string, OwnerRef>> {
      const rows = (await db('owners').select('id', 'email', 'active')) as Array<OwnerRef & { email: string }>;
      return new Map(rows.map((o) => [o.email.toLowerCase(), { id: o.id, active: o.active }]));
    },

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
  };
}

export type ImportStore = ReturnType<typeof createImportStore>;
