/** SQL for `catalog_items` and `estimates` (seed 001): the catalog, and each estimate's versions. */
import type { Knex } from 'knex';
import type { CatalogItem, PricedLine, Totals } from '../domain/estimates';
import { hashLinkToken, newLinkToken } from './task-links/tokens';
import { decimalAmount } from '../domain/money';

export const ESTIMATE_SENT_TEMPLATE = 'estimate-sent';

export interface EstimateLinkRow {
  id: string;
  estimate_id: string;
  estimate_key: string;
  email: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

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
  decided_at: Date | null;
  decided_by: string | null;
  decline_reason: string | null;
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
     * Marks the version sent and issues a link to it (revoking the series' earlier links), with the
     * e-mail that carries it, in one transaction. False when the version is not live any more.
     */
    async send(of: EstimateRow, link: { email: string; expiresAt: Date; createdBy: string; portalUrl: (token: string) => string }): Promise<EstimateLinkRow | null> {
      return db.transaction(async (trx) => {
        const marked = await trx('estimates').where({ id: of.id }).whereIn('status', ['draft', 'sent']).update({ status: 'sent' });
        if (!marked) return null;
        await trx('estimate_links').where({ estimate_key: of.estimate_key }).whereNull('revoked_at').update({ revoked_at: trx.fn.now() });
        const token = newLinkToken();
        const [row]: EstimateLinkRow[] = await trx('estimate_links')
          .insert({ estimate_id: of.id, estimate_key: of.estimate_key, email: link.email, token_hash: hashLinkToken(token), expires_at: link.expiresAt, created_by: link.createdBy })
          .returning('*');
        await trx('outbox').insert({
          channel: 'email',
          recipient: link.email,
          template: ESTIMATE_SENT_TEMPLATE,
          language: 'es',
          idempotency_key: `estimate-link:${row.id}`,
          payload: JSON.stringify({
            customerName: of.customer_name, version: of.version, total: decimalAmount(Number(of.total_minor)), currency: of.currency,
            linkUrl: link.portalUrl(token), expiresAt: link.expiresAt.toISOString(),
          }),
        });
        return row;
      });
    },

    /** The link a token opens, locked in `trx` when given. */
    async linkByToken(token: string, trx?: Knex.Transaction): Promise<EstimateLinkRow | undefined> {
      const q = (trx ?? db)('estimate_links').where({ token_hash: hashLinkToken(token) }).first();
      return trx ? q.forUpdate() : q;
    },

    /**
     * The client's answer, in `trx`: the version becomes accepted or declined and the link used. False
     * when the version was no longer waiting for an answer (superseded, or answered).
     */
    async decide(trx: Knex.Transaction, link: EstimateLinkRow, decision: 'accepted' | 'declined', reason: string | null): Promise<boolean> {
      const marked = await trx('estimates')
        .where({ id: link.estimate_id, status: 'sent' })
        .update({ status: decision, decided_at: trx.fn.now(), decided_by: link.email, decline_reason: reason });
      if (!marked) return false;
      await trx('estimate_links').where({ id: link.id }).update({ used_at: trx.fn.now() });
      return true;
    },

    transaction: <T>(work: (trx: Knex.Transaction) => Promise<T>) => db.transaction(work),

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
