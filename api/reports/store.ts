/**
 * SQL for the funnel report (docs/DIGITAL-SALE.md, "Report definitions"). Every figure is one
 * aggregate query: rows never come back to Node, only counts and sums.
 */
import type { Knex } from 'knex';
import { UUID_PATTERN } from '../shared-schemas';
import type { ReportedSale } from '../../domain/residential';

/** The half-open interval [start, end). */
export interface Period {
  start: Date;
  end: Date;
}

/** Opportunity filters, already resolved (owner email → id). */
export interface Scope {
  channel?: string;
  ownerId?: string;
}

export interface OwnerRow {
  id: string;
  name: string;
  email: string;
}

export interface StageFigures {
  stage: string;
  /** Distinct opportunities that entered the stage in the period. */
  entered: number;
  /** Of those, how many also entered a later funnel stage in the period. */
  advanced: number;
}

const UUID = new RegExp(UUID_PATTERN, 'i');

/** `and o.channel = ? and o.owner_id = ?` for the filters that are set, with their bindings. */
function scopeSql(scope: Scope): { sql: string; bindings: string[] } {
  const parts: string[] = [];
  const bindings: string[] = [];
  if (scope.channel) {
    parts.push('and o.channel = ?');
    bindings.push(scope.channel);
  }
  if (scope.ownerId) {
    parts.push('and o.owner_id = ?');
    bindings.push(scope.ownerId);
  }
  return { sql: parts.join(' '), bindings };
}

const filtered = (scope: Scope) => Boolean(scope.channel || scope.ownerId);

/**
 * Joins a row's account to its opportunity, only when a filter needs it: unfiltered, every digital
 * invoice or item counts, even one whose account was created outside the funnel.
 */
function opportunityJoin(scope: Scope, accountColumn: string): string {
  return filtered(scope) ? `join accounts a on a.id = ${accountColumn} join opportunities o on o.id = a.opportunity_id` : '';
}

interface SaleRow {
  id: string; business_key: string; status: string; outcome: string | null; stage: string | null; channel: string | null; customer_name: string | null;
  plan: string | null; payment_mode: string | null; unattended_reason: string | null; executive: string | null; started_at: Date; ended_at: Date | null;
}

const toSale = (r: SaleRow): ReportedSale => ({
  processId: r.id, businessKey: r.business_key, status: r.status, outcome: r.outcome, stage: r.stage, channel: r.channel, customerName: r.customer_name,
  plan: r.plan, paymentMode: r.payment_mode, unattendedReason: r.unattended_reason, executive: r.executive, startedAt: r.started_at, endedAt: r.ended_at,
});

export function createReportStore(db: Knex) {
  return {
    /**
     * The residential sales (seed 002) started in the period and those that ended in it, with what the
     * report shows of each: read from the start variables, and from the last state of an ended one.
     */
    async residentialSales(definitionId: string, period: Period): Promise<{ started: ReportedSale[]; ended: ReportedSale[] }> {
      const v = (path: string) => `coalesce(final_state #>> '{variables,${path}}', variables #>> '{${path}}')`;
      const select = db('process_instances').select(
        'id', 'business_key', 'status', 'outcome', 'stage', 'started_at', 'ended_at',
        db.raw(`${v('prospect,channel')} as channel`),
        db.raw(`coalesce(${v('customer,data,fullName')}, ${v('prospect,name')}) as customer_name`),
        db.raw(`${v('quote,name')} as plan`),
        db.raw(`${v('paymentMode,outcome')} as payment_mode`),
        db.raw(`${v('unattended,reasonCode')} as unattended_reason`),
        db.raw(`${v('classification,completedBy')} as executive`),
      ).where({ definition_id: definitionId });
      const [started, ended] = await Promise.all([
        select.clone().where('started_at', '>=', period.start).andWhere('started_at', '<', period.end).orderBy('started_at'),
        select.clone().where('ended_at', '>=', period.start).andWhere('ended_at', '<', period.end).orderBy('ended_at'),
      ]);
      return { started: (started as SaleRow[]).map(toSale), ended: (ended as SaleRow[]).map(toSale) };
    },

    /**
     * Billing volume of each month: the invoices issued in `currency` in [start, end), summed in minor
     * units (the amount column has two decimals). One range per month, each an index-only scan of
     * invoices_currency_issued_at (migration 020): no invoice row is read, nothing computed per row.
     */
    async monthlyBilling(currency: string, months: Array<{ month: string; start: Date; end: Date }>): Promise<Map<string, bigint>> {
      const { rows } = await db.raw<{ rows: Array<{ month: string; minor: string }> }>(
        `select m.month,
                coalesce((select round(sum(i.amount) * 100) from invoices i where i.currency = ? and i.issued_at >= m.start_at and i.issued_at < m.end_at), 0)::bigint::text as minor
           from unnest(?::text[], ?::timestamptz[], ?::timestamptz[]) as m(month, start_at, end_at)`,
        [currency, months.map((m) => m.month), months.map((m) => m.start), months.map((m) => m.end)],
      );
      return new Map(rows.map((r) => [r.month, BigInt(r.minor)]));
    },

    async channelExists(code: string): Promise<boolean> {
      return Boolean(await db('channels').where({ code }).first('code'));
    },

    /** By id when `ref` is a uuid, else by email (case-insensitive: owners' emails are stored lower-cased). */
    async findOwner(ref: string): Promise<OwnerRow | null> {
      const q = db('owners').first('id', 'name', 'email');
      const row = UUID.test(ref) ? await q.where({ id: ref.toLowerCase() }) : await q.whereRaw('lower(email) = lower(?)', [ref]);
      return (row as OwnerRow | undefined) ?? null;
    },

    /**
     * Entered / advanced counts for each of `stages` (in order). `funnelSize` first ones are the funnel;
     * the rest (opportunity-lost) are only counted, never a "later stage".
     *
     * The stage changes of the period come from the partial index `audit_events_stage_changes` (at);
     * each is tied to its opportunity through the instance's business key. Keys that are not uuids
     * belong to other processes: the guarded cast skips them without failing, and lets each remaining
     * key be looked up in the opportunities' primary key (`o.id::text = …` would hash every
     * opportunity instead). Per opportunity we keep the set of stage positions it entered and the
     * furthest funnel position, so "entered b or any later stage" is `furthest > position(a)`: a sale
     * that skipped conversion-to-account still advanced.
     */
    async stageFigures(period: Period, scope: Scope, stages: readonly string[], funnelSize: number): Promise<StageFigures[]> {
      const where = scopeSql(scope);
      const ids = [...stages];
      const { rows } = await db.raw<{ rows: Array<{ stage: string; entered: string; advanced: string }> }>(
        `with entered as (
           select o.id as opportunity, array_position(?::text[], e.details->>'stage') as position
             from audit_events e
             join process_instances p on p.id = e.instance_id
             join opportunities o on o.id = (case when p.business_key ~* ? then p.business_key::uuid end)
            where e.kind = 'stage.changed' and e.at >= ? and e.at < ?
              and e.details->>'stage' = any(?::text[])
              ${where.sql}
         ), per_opportunity as (
           select opportunity, array_agg(position) as positions,
                  coalesce(max(position) filter (where position <= ?), 0) as furthest
             from entered
            group by opportunity
         )
         select s.stage,
                count(po.opportunity) filter (where s.position = any(po.positions)) as entered,
                count(po.opportunity) filter (where s.position = any(po.positions) and po.furthest > s.position) as advanced
           from unnest(?::text[]) with ordinality as s(stage, position)
           left join per_opportunity po on true
          group by s.stage, s.position
          order by s.position`,
        [ids, UUID_PATTERN, period.start, period.end, ids, ...where.bindings, funnelSize, ids],
      );
      return rows.map((r) => ({ stage: r.stage, entered: Number(r.entered), advanced: Number(r.advanced) }));
    },

    /**
     * First-period invoices (new customers) and the MRR collected in the period: upgrade invoices issued
     * in it (the checkout issues them paid) and renewal invoices paid in it (recurring billing issues them
     * at the period's start, before they are paid). Indexes on issued_at and on renewals' paid_at.
     */
    async invoiceFigures(period: Period, scope: Scope, currency: string) {
      const where = scopeSql(scope);
      // Two index range scans (issued_at; renewals' paid_at) rather than one OR the planner cannot index.
      const { rows } = await db.raw<{ rows: Array<{ new_customers: string; mrr_count: string; mrr_amount: string }> }>(
        `select count(*) filter (where i.kind = 'first-period') as new_customers,
                count(*) filter (where i.kind in ('upgrade', 'renewal') and i.currency = ?) as mrr_count,
                coalesce(sum(i.amount) filter (where i.kind in ('upgrade', 'renewal') and i.currency = ?), 0) as mrr_amount
           from (select id, account_id, kind, amount, currency from invoices
                  where issued_at >= ? and issued_at < ? and kind in ('first-period', 'upgrade')
                 union all
                 select id, account_id, kind, amount, currency from invoices
                  where paid_at >= ? and paid_at < ? and kind = 'renewal') i
           ${opportunityJoin(scope, 'i.account_id')}
          where true
            ${where.sql}`,
        [currency, currency, period.start, period.end, period.start, period.end, ...where.bindings],
      );
      const r = rows[0];
      return { newCustomers: Number(r.new_customers), mrrCollected: { count: Number(r.mrr_count), amount: Number(r.mrr_amount) } };
    },

    /**
     * Subscription items activated in the period and neither paid nor revoked before it ends (index on
     * activated_at). Read from the timestamps, not `status`, so a past period keeps its figure after the
     * item is paid or revoked.
     */
    async rrrWon(period: Period, scope: Scope, currency: string) {
      const where = scopeSql(scope);
      const { rows } = await db.raw<{ rows: Array<{ count: string; amount: string }> }>(
        `select count(*) as count, coalesce(sum(si.price), 0) as amount
           from subscription_items si
           ${opportunityJoin(scope, 'si.account_id')}
          where si.activated_at >= ? and si.activated_at < ?
            and (si.paid_at is null or si.paid_at >= ?)
            and (si.revoked_at is null or si.revoked_at >= ?)
            and si.currency = ?
            ${where.sql}`,
        [period.start, period.end, period.end, period.end, currency, ...where.bindings],
      );
      return { count: Number(rows[0].count), amount: Number(rows[0].amount) };
    },
  };
}
