/**
 * Seed 001's estimates: priced from the catalog by the one rule (domain/estimates), refused (422) when
 * a line is bad or the caller's totals do not add up, before anything is stored; revised as a new
 * version that supersedes the live one.
 */
import type { AppDeps } from '../deps';
import { conflict, invalidFields, notFound } from '../errors';
import type { SessionUser } from '../types';
import { priceLines, totalsProblems, type LineInput, type Totals } from '../../domain/estimates';
import { createEstimateStore, type EstimateRow } from '../../lib/estimates';
import { toIso } from '../../lib/time';
import type { CreateEstimateBody, ReviseEstimateBody } from './schemas';

const totalsOf = (r: EstimateRow): Totals => ({
  grossMinor: Number(r.gross_minor), discountMinor: Number(r.discount_minor), netMinor: Number(r.net_minor), taxMinor: Number(r.tax_minor), totalMinor: Number(r.total_minor),
});

export function createEstimateService({ db }: Pick<AppDeps, 'db'>) {
  const store = createEstimateStore(db);

  async function price(lines: LineInput[], currency: string, claimed: Partial<Totals> | undefined) {
    const priced = priceLines(lines, await store.catalog(lines.map((l) => l.itemCode)), currency);
    if ('problems' in priced) throw invalidFields('invalid_estimate', 'body', priced.problems);
    const wrong = totalsProblems(claimed ?? {}, priced.totals);
    if (wrong.length) throw invalidFields('totals_mismatch', 'body', wrong);
    return priced;
  }

  async function present(r: EstimateRow) {
    const versions = await store.versions(r.estimate_key);
    return {
      id: r.id,
      estimateKey: r.estimate_key,
      version: r.version,
      status: r.status,
      customer: { name: r.customer_name, email: r.customer_email },
      opportunityId: r.opportunity_id,
      currency: r.currency,
      lines: r.lines,
      totals: totalsOf(r),
      versions: versions.map((v) => ({ id: v.id, version: v.version, status: v.status })),
      createdBy: r.created_by,
      createdAt: toIso(r.created_at)!,
    };
  }

  async function requireEstimate(id: string): Promise<EstimateRow> {
    const row = await store.get(id);
    if (!row) throw notFound(`No estimate ${id}`, { id });
    return row;
  }

  return {
    async catalog() {
      return { items: [...(await store.catalog()).values()] };
    },

    async create(user: SessionUser, body: CreateEstimateBody) {
      const { lines, totals } = await price(body.lines, body.currency, body.totals);
      const row = await store.create({ customerName: body.customer.name, customerEmail: body.customer.email, opportunityId: body.opportunityId ?? null, currency: body.currency, lines, totals, createdBy: user.username });
      return present(row);
    },

    get: async (id: string) => present(await requireEstimate(id)),

    async revise(user: SessionUser, id: string, body: ReviseEstimateBody) {
      const of = await requireEstimate(id);
      const { lines, totals } = await price(body.lines, of.currency, body.totals);
      const next = await store.revise(of, { customerName: of.customer_name, customerEmail: of.customer_email, opportunityId: of.opportunity_id, currency: of.currency, lines, totals, createdBy: user.username });
      if (!next) {
        const live = (await store.versions(of.estimate_key)).find((v) => v.status !== 'superseded');
        throw conflict('estimate_not_live', live ? `version ${of.version} is ${of.status}: version ${live.version} (${live.id}) is the one to revise` : `version ${of.version} is ${of.status}`, { liveVersion: live ? { id: live.id, version: live.version, status: live.status } : null });
      }
      return present(next);
    },
  };
}

export type EstimateService = ReturnType<typeof createEstimateService>;
