/** SQL for `coverage_zones` (seed 002's stand-in for Smartflex/GIS): one row per zone and technology. */
import type { Knex } from 'knex';
import type { CoverageRow, Technology } from '../domain/residential';

interface ZoneRow { zone: string; technology: string; max_speed_mbps: number; updated_by: string; updated_at: Date }

const toRow = (r: ZoneRow): CoverageRow => ({ zone: r.zone, technology: r.technology as Technology, maxSpeedMbps: r.max_speed_mbps });

export function createCoverageStore(db: Knex) {
  return {
    /** The zone's rows. */
    async zone(zone: string): Promise<CoverageRow[]> {
      return (await db<ZoneRow>('coverage_zones').where({ zone }).orderBy('technology')).map(toRow);
    },

    async isEmpty(): Promise<boolean> {
      return !(await db('coverage_zones').first('zone'));
    },

    /** Every row, by zone then technology, with who loaded it and when. */
    async all(): Promise<Array<CoverageRow & { updatedBy: string; updatedAt: Date }>> {
      const rows = await db<ZoneRow>('coverage_zones').orderBy(['zone', 'technology']);
      return rows.map((r) => ({ ...toRow(r), updatedBy: r.updated_by, updatedAt: r.updated_at }));
    },

    /**
     * Writes the rows inside `trx`: a zone and technology already there gets the new speed. Answers how
     * many were new and how many replaced a row (the rows of one file are distinct: the import checks).
     */
    async upsert(trx: Knex.Transaction, rows: CoverageRow[], actor: string): Promise<{ inserted: number; updated: number }> {
      let inserted = 0;
      // Batches keep each statement's bindings well under Postgres' limit of 65535.
      for (let i = 0; i < rows.length; i += 1000) {
        const batch = rows.slice(i, i + 1000).map((r) => ({ zone: r.zone, technology: r.technology, max_speed_mbps: r.maxSpeedMbps, updated_by: actor }));
        const written: Array<{ inserted: boolean }> = await trx('coverage_zones')
          .insert(batch)
          .onConflict(['zone', 'technology'])
          .merge({ max_speed_mbps: trx.raw('excluded.max_speed_mbps'), updated_by: trx.raw('excluded.updated_by'), updated_at: trx.fn.now() })
          // xmax = 0 only on a row this statement inserted (not one it updated).
          .returning(trx.raw('(xmax = 0) as inserted'));
        inserted += written.filter((w) => w.inserted).length;
      }
      return { inserted, updated: rows.length - inserted };
    },
  };
}
