/** SQL for `catalog_items` and `estimates` (seed 001): the catalog, and each estimate's versions. */
import type { Knex } from 'knex';
import type { CatalogItem, PricedLine, Totals } from '../domain/estimates';

export interface EstimateRow {
  id: string;
  estimate_key: string;
  version: number;
  status: string;
  customer_name: string;
  customer_email: string;
  opportunity_id: string | null;
  currency: string;
  lines: PricedLine[];
  gross_minor: string;
  discount_minor: string;
  net_minor: string;
  tax_minor: string;
  total_minor: string;
  created_by: string;
  created_at: Date;
}

export interface NewEstimate {
  customerName: string;
  customerEmail: string;
  opportunityId: string | null;
  currency: string;
  lines: PricedLine[];
  totals: Totals;
  createdBy: string;
}

const row = (e: NewEstimate) => ({
  customer_name: e.customerName, customer_email: e.customerEmail, opportunity_id: e.opportunityId, currency: e.currency, lines: JSON.stringify(e.lines),
  gross_minor: e.totals.grossMinor, discount_minor: e.totals.discountMinor, net_minor: e.totals.netMinor, tax_minor: e.totals.taxMinor, total_minor: e.totals.totalMinor,
  created_by: e.createdBy,
});

export function createEstimateStore(db: Knex) {
  return {
    async catalog(codes?: string[]): Promise<Map<string, CatalogItem>> {
      const q = db('catalog_items').where({ active: true }).orderBy('code');
      if (codes) q.whereIn('code', codes);
      const rows: Array<{ code: string; name: string; unit_price_minor: string; tax_rate_bp: number; currency: string }> = await q;
      return new Map(rows.map((r) => [r.code, { code: r.code, name: r.name, unitPriceMinor: Number(r.unit_price_minor), taxRateBp: r.tax_rate_bp, currency: r.currency }]));
    },

    async create(e: NewEstimate): Promise<EstimateRow> {
      const [created] = await db('estimates').insert({ ...row(e), estimate_key: db.raw('gen_random_uuid()'), version: 1 }).returning('*');
      return created;
    },

    async get(id: string): Promise<EstimateRow | undefined> {
      return db('estimates').where({ id }).first();
    },

    async versions(key: string): Promise<EstimateRow[]> {
      return db('estimates').where({ estimate_key: key }).orderBy('version');
    },

    /**
     * The next version of `of`'s series, in one transaction that marks `of` superseded; null when `of`
     * is not the live version any more (another revision, or it was accepted or declined).
     */
    async revise(of: EstimateRow, e: NewEstimate): Promise<EstimateRow | null> {
      return db.transaction(async (trx) => {
        const marked = await trx('estimates').where({ id: of.id }).whereIn('status', ['draft', 'sent']).update({ status: 'superseded' });
        if (!marked) return null;
        const [created] = await trx('estimates').insert({ ...row(e), estimate_key: of.estimate_key, version: of.version + 1 }).returning('*');
        return created;
      });
    },
  };
}
