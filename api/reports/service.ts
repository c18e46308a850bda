/**
 * The funnel report of the digital sale (docs/DIGITAL-SALE.md, "Report definitions"): how the query's
 * period and filters are understood, and the shape of the answer. Who may read it is on its route.
 */
import type { AppDeps } from '../deps';
import { badRequest, fieldProblems, invalidFields } from '../errors';
import { BILLING_KPI, billingKpi, MONTH_PATTERN, monthAt, monthBounds, shiftMonth } from '../../domain/billing/kpi';
import type { BillingKpiQuery, DigitalSalesQuery, FunnelReportQuery, UnattendedRequestsQuery } from './schemas';
import { digitalSalesSummary, RESIDENTIAL_SALE, type ReportedSale } from '../../domain/residential';
import { createUnattendedStore } from '../../lib/unattended-requests';
import { toIso } from '../../lib/time';
import { createReportStore, type Period, type Scope } from './store';

/** The funnel, in order (docs/DIGITAL-SALE.md). */
const FUNNEL_STAGES = [
  'opportunity-assigned',
  'opportunity-contacted',
  'digital-proposal-delivered',
  'conversion-to-account',
  'closed-won',
  'paid-account',
] as const;
const LOST_STAGE = 'opportunity-lost';


/** All digital plans and modules are priced in CLP; amounts in any other currency are not summed into these figures. */
const CURRENCY = 'CLP';

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** 422 naming one query parameter. */
const paramError = (code: string, param: string, message: string, summary: string) => invalidFields(code, 'query', [{ field: param, message }], summary);

/**
 * `from` inclusive, `to` exclusive; a date-only value is that day in UTC (the API's time zone), and a
 * date-only `to` includes its whole day. ajv already checked both are a date or a date-time.
 */
function periodOf(from: string, to: string): Period {
  const start = new Date(DATE_ONLY.test(from) ? `${from}T00:00:00Z` : from);
  const end = DATE_ONLY.test(to) ? new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS) : new Date(to);
  // RFC 3339 allows a leap second (`23:59:60Z`) that JavaScript dates cannot hold.
  for (const [param, date] of [['from', start], ['to', end]] as const) {
    if (Number.isNaN(date.getTime())) {
      throw badRequest('invalid_request', `${param} is not a representable time`, fieldProblems('query', [{ field: param, message: 'is not a representable time' }]));
    }
  }
  if (end < start) throw paramError('invalid_period', 'to', `must not be before from (${from})`, `to (${to}) is before from (${from})`);
  return { start, end };
}

const rate = (advanced: number, entered: number) => (entered === 0 ? null : advanced / entered);

export function createReportService({ db }: Pick<AppDeps, 'db'>) {
  const store = createReportStore(db);
  const unattended = createUnattendedStore(db);

  async function resolveScope(q: FunnelReportQuery) {
    const scope: Scope = {};
    if (q.channel !== undefined) {
      if (!(await store.channelExists(q.channel))) {
        throw paramError('unknown_channel', 'channel', `no channel '${q.channel}'`, `No channel '${q.channel}'`);
      }
      scope.channel = q.channel;
    }
    const owner = q.owner === undefined ? null : await store.findOwner(q.owner);
    if (q.owner !== undefined && !owner) {
      throw paramError('unknown_owner', 'owner', `no owner with id or email '${q.owner}'`, `No owner with id or email '${q.owner}'`);
    }
    if (owner) scope.ownerId = owner.id;
    return { scope, owner };
  }

  /** Seed 002's monthly KPI (domain/billing/kpi.ts): `month` against the month before, and the 12-month trend. */
  async function monthKpi(q: BillingKpiQuery) {
    if (!new RegExp(MONTH_PATTERN).test(q.month)) throw paramError('invalid_month', 'month', 'must be a month as YYYY-MM (e.g. 2026-03)', `'${q.month}' is not a month (YYYY-MM)`);
    const current = monthAt(new Date());
    if (q.month > current) throw paramError('month_in_future', 'month', `must not be after the current month (${current})`, `${q.month} has not happened yet`);
    const first = shiftMonth(q.month, -BILLING_KPI.trendMonths);
    const months = Array.from({ length: BILLING_KPI.trendMonths + 1 }, (_, i) => shiftMonth(first, i)).map((month) => ({ month, ...monthBounds(month) }));
    const volumes = await store.monthlyBilling(BILLING_KPI.currency, months);
    const volume = (month: string) => volumes.get(month) ?? 0n;
    const trend = Array.from({ length: BILLING_KPI.trendMonths }, (_, i) => {
      const month = shiftMonth(first, i + 1);
      return { month, volume: Number(volume(month)), ...billingKpi(volume(month), volume(shiftMonth(month, -1))) };
    });
    const { ratio, verdict } = trend[trend.length - 1];
    return {
      month: q.month,
      currency: BILLING_KPI.currency,
      thisMonth: Number(volume(q.month)),
      lastMonth: Number(volume(shiftMonth(q.month, -1))),
      ratio,
      verdict,
      approvedAtPercent: BILLING_KPI.approvedAtPercent,
      trend,
    };
  }

  return {
    async funnel(q: FunnelReportQuery) {
      const period = periodOf(q.from, q.to);
      const { scope, owner } = await resolveScope(q);
      const [stages, invoices, rrrWon] = await Promise.all([
        store.stageFigures(period, scope, [...FUNNEL_STAGES, LOST_STAGE], FUNNEL_STAGES.length),
        store.invoiceFigures(period, scope, CURRENCY),
        store.rrrWon(period, scope, CURRENCY),
      ]);
      const funnel = stages.slice(0, FUNNEL_STAGES.length);
      return {
        period: { from: period.start.toISOString(), to: period.end.toISOString() },
        filters: { channel: scope.channel ?? null, owner },
        stages: funnel.map((s) => ({ stage: s.stage, count: s.entered })),
        conversions: funnel.slice(0, -1).map((a, i) => ({ from: a.stage, to: funnel[i + 1].stage, rate: rate(a.advanced, a.entered) })),
        lost: stages[FUNNEL_STAGES.length].entered,
        newCustomers: invoices.newCustomers,
        mrrCollected: invoices.mrrCollected,
        rrrWon,
        currency: CURRENCY,
      };
    },

    billingKpi: monthKpi,

    /** Seed 002's general digital-sales report of a month (domain/residential/report.ts), with the month's billing KPI. */
    async digitalSales(q: DigitalSalesQuery) {
      const kpi = await monthKpi({ month: q.month });
      const { started, ended } = await store.residentialSales(RESIDENTIAL_SALE, monthBounds(q.month));
      const line = (s: ReportedSale) => ({ ...s, startedAt: toIso(s.startedAt)!, endedAt: toIso(s.endedAt) });
      const { month, currency, thisMonth, lastMonth, ratio, verdict } = kpi;
      return { month, ...digitalSalesSummary(started, ended), billing: { currency, thisMonth, lastMonth, ratio, verdict }, sales: ended.map(line) };
    },

    /** Seed 002's unattended requests (step 19), oldest first, each with its reason, age and owner. */
    async unattendedRequests(q: UnattendedRequestsQuery) {
      const { rows, total } = await unattended.list(q);
      const now = Date.now();
      return {
        items: rows.map((r) => ({
          processId: r.instance_id,
          businessKey: r.business_key,
          reasonCode: r.reason_code,
          reason: r.reason,
          customerName: r.customer_name,
          phone: r.phone,
          owner: r.owner,
          createdAt: toIso(r.created_at)!,
          ageDays: Math.floor((now - r.created_at.getTime()) / DAY_MS),
          reenteredAs: r.reentered_as,
        })),
        total,
        limit: q.limit,
        offset: q.offset,
      };
    },
  };
}

export type ReportService = ReturnType<typeof createReportService>;
