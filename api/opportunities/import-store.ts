/** SQL for CRM imports (`imports`) and the outcome of each of their rows (`import_rows`). */
import type { Knex } from 'knex';
import type { OwnerRef } from './contacts-csv';

export type ImportStatus = 'running' | 'completed' | 'failed';
export type RowStatus = 'created' | 'duplicate' | 'invalid';

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

export const INTERRUPTED = 'interrupted: Cauce stopped during the import; import the file again (rows already imported count as duplicates)';

export function createImportStore(db: Knex) {
  return {
    /** Owners by lower-cased email, for the `owner_email` column. */
    async ownersByEmail(): Promise<Map<string, OwnerRef>> {
      const rows = (await db('owners').select('id', 'email', 'active')) as Array<OwnerRef & { email: string }>;
      return new Map(rows.map((o) => [o.email.toLowerCase(), { id: o.id, active: o.active }]));
    },

    async create(i: { filename: string; sha256: string; totalRows: number; createdBy: string }): Promise<ImportRow> {
      const [row] = await db('imports')
        .insert({ kind: 'contacts', filename: i.filename, content_sha256: i.sha256, total_rows: i.totalRows, created_by: i.createdBy })
        .returning('*');
      return row as ImportRow;
    },

    async get(id: string): Promise<ImportRow | null> {
      return ((await db('imports').where({ id }).first()) as ImportRow | undefined) ?? null;
    },

    /**
     * A finished row, and the import's counters with it, in one transaction: the counters always equal
     * the rows recorded. A row already recorded (same import and line) changes nothing.
     */
    async recordRow(importId: string, r: { line: number; status: RowStatus; errors?: string[]; contactId?: string; opportunityId?: string }) {
      await db.transaction(async (trx) => {
        const [inserted] = await trx('import_rows')
          .insert({
            import_id: importId,
            line: r.line,
            status: r.status,
            errors: JSON.stringify(r.errors ?? []),
            contact_id: r.contactId ?? null,
            opportunity_id: r.opportunityId ?? null,
          })
          .onConflict(['import_id', 'line'])
          .ignore()
          .returning('line');
        if (!inserted) return;
        await trx('imports')
          .where({ id: importId })
          .increment({ processed_rows: 1, [`${r.status}_rows`]: 1 });
      });
    },

    async finish(id: string, outcome: { status: 'completed' } | { status: 'failed'; error: string }) {
      await db('imports')
        .where({ id })
        .update({ status: outcome.status, error: outcome.status === 'failed' ? outcome.error : null, finished_at: db.fn.now() });
    },

    /**
     * Imports run inside the API process: at start-up, one still `running` was cut off by a stop or a
     * crash. It is marked failed with a hint; importing the file again skips the rows already done.
     */
    async failInterrupted(): Promise<number> {
      return db('imports')
        .where({ status: 'running' })
        .update({ status: 'failed', error: INTERRUPTED, finished_at: db.fn.now() });
    },

    async rows(importId: string, f: { status?: RowStatus; limit: number; offset: number }): Promise<{ rows: ImportRowResult[]; total: number }> {
      const where = (q: Knex.QueryBuilder) => (f.status ? q.where({ import_id: importId, status: f.status }) : q.where({ import_id: importId }));
      const [rows, [{ count }]] = await Promise.all([
        where(db('import_rows')).orderBy('line').limit(f.limit).offset(f.offset).select('line', 'status', 'errors', 'contact_id', 'opportunity_id'),
        where(db('import_rows')).count<{ count: string }[]>({ count: '*' }),
      ]);
      return { rows: rows as ImportRowResult[], total: Number(count) };
    },
  };
}

export type ImportStore = ReturnType<typeof createImportStore>;
