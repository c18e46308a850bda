/**
 * Loading seed 002's coverage table from CSV: every row is checked (domain/residential) and the file is
 * written in one transaction only when all of them pass, so a file with a bad row changes nothing and
 * its answer names each bad line with its reasons.
 */
import type { Readable } from 'node:stream';
import type { AppDeps } from '../deps';
import { allRowsOrNone, receiveCsv, type CsvSpec } from '../csv';
import { toIso } from '../../lib/time';
import { createCoverageStore } from '../../lib/coverage';
import { parseCoverageRow, type CoverageRow } from '../../domain/residential';

const COVERAGE_CSV: CsvSpec<'zone' | 'technology' | 'max_speed_mbps'> = {
  columns: ['zone', 'technology', 'max_speed_mbps'],
  required: ['zone', 'technology', 'max_speed_mbps'],
  rows: 'coverage',
};

export function createCoverageService({ db }: Pick<AppDeps, 'db'>) {
  const store = createCoverageStore(db);

  return {
    async list() {
      return { items: (await store.all()).map((r) => ({ ...r, updatedAt: toIso(r.updatedAt)! })) };
    },

    /** Loads the CSV body: all its rows, or (422) none. */
    async load(body: Readable, declaredLength: number | undefined, actor: string) {
      const rows: CoverageRow[] = (
        await receiveCsv(body, declaredLength, (metered) =>
          allRowsOrNone(metered, COVERAGE_CSV, parseCoverageRow, {
            code: 'invalid_coverage_rows',
            keyOf: (r) => ({ key: `${r.zone}/${r.technology}`, says: `zone ${r.zone} with ${r.technology}` }),
          }),
        )
      ).map(({ line: _line, ...row }) => row);
      const written = await db.transaction((trx) => store.upsert(trx, rows, actor));
      return { rows: rows.length, ...written };
    },
  };
}

export type CoverageService = ReturnType<typeof createCoverageService>;
