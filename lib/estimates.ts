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
  /** The lead's process (lead-to-customer) that hears the client's answer, and its business key. */
  process_id: string | null;
  business_key: string | null;
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
  process: { id: string; businessKey: string };
  currency: string;
  lines: PricedLine[];
  totals: Totals;
  createdBy: string;
}

const row = (e: NewEstimate) => ({
  customer_name: e.customerName, customer_email: e.customerEmail, process_id: e.process.id, business_key: e.process.businessKey, currency: e.currency, lines: JSON.stringify(e.lines),
  gross_minor: e.totals.grossMinor, discount_minor: e.totals.discountMinor, net_minor: e.totals.netMinor, tax_minor: e.totals.taxMinor, total_minor: e.totals.totalMinor,
  created_by: e.createdBy,
});

/** The client's answer on a version still waiting for one (sent); false when it was not waiting. */
async function markDecided(db: Knex | Knex.Transaction, id: string, decision: 'accepted' | 'declined', reason: string | null, by: string): Promise<boolean> {
  return (await db('estimates').where({ id, status: 'sent' }).update({ status: decision, decided_at: db.fn.now(), decided_by: by, decline_reason: reason })) > 0;
}

/** A stored version's totals, in minor units (bigint columns come back as strings). */
export const estimateTotals = (r: Pick<EstimateRow, 'gross_minor' | 'discount_minor' | 'net_minor' | 'tax_minor' | 'total_minor'>): Totals => ({
  grossMinor: Number(r.gross_minor), discountMinor: Number(r.discount_minor), netMinor: Number(r.net_minor), taxMinor: Number(r.tax_minor), totalMinor: Number(r.total_minor),
});

export function createEstimateStore(db: Knex) {
  return {
    async catalog(codes?: string[]): Promise<Map<string, CatalogItem>> {
      const q = db('catalog_items').where({ active: true }).orderBy('code');
      if (codes) q.whereIn('code', codes);
      const rows: Array<{ code: string; name: string; unit_price_minor: string; tax_rate_bp: number; currency: string; recurring: boolean }> = await q;
      return new Map(rows.map((r) => [r.code, { code: r.code, name: r.name, unitPriceMinor: Number(r.unit_price_minor), taxRateBp: r.tax_rate_bp, currency: r.currency, recurring: r.recurring }]));
    },

    async create(e: NewEstimate): Promise<EstimateRow> {
      const [created] = await db('estimates').insert({ ...row(e), estimate_key: db.raw('gen_random_uuid()'), version: 1 }).returning('*');
      return created;
    },

    /** The version, locked in `trx` when given (an answer and a revision of it are taken one at a time). */
    async get(id: string, trx?: Knex.Transaction): Promise<EstimateRow | undefined> {
      const q = (trx ?? db)('estimates').where({ id }).first();
      return trx ? q.forUpdate() : q;
    },

    /** The live version of each series a process owns (a lead's estimates), newest first. */
    async forProcess(processId: string): Promise<EstimateRow[]> {
      return db('estimates').where({ process_id: processId }).whereNot({ status: 'superseded' }).orderBy('created_at', 'desc');
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
      if (!(await markDecided(trx, link.estimate_id, decision, reason, link.email))) return false;
      await trx('estimate_links').where({ id: link.id }).update({ used_at: trx.fn.now() });
      return true;
    },

    /**
     * The answer as the lead's process took it (activity estimates.recordAnswer): the version becomes
     * `decision` unless the API already wrote it so; the row either way, to say whether it holds.
     */
    async recordAnswer(id: string, decision: 'accepted' | 'declined', reason: string | null, by: string): Promise<EstimateRow | undefined> {
      await markDecided(db, id, decision, reason, by);
      return db('estimates').where({ id }).first();
    },

    transaction: <T>(work: (trx: Knex.Transaction) => Promise<T>) => db.transaction(work),

    /**
     * The next version of `of`'s series, in one transaction that marks `of` superseded; null when `of`
     * is not the live version any more (another revision, or it was accepted). A declined version is
     * revised: that is how a salesperson answers a decline.
     */
    async revise(of: EstimateRow, e: NewEstimate): Promise<EstimateRow | null> {
      return db.transaction(async (trx) => {
        const marked = await trx('estimates').where({ id: of.id }).whereIn('status', ['draft', 'sent', 'declined']).update({ status: 'superseded' });
        if (!marked) return null;
        const [created] = await trx('estimates').insert({ ...row(e), estimate_key: of.estimate_key, version: of.version + 1 }).returning('*');
        return created;
      });
    },
  };
}
