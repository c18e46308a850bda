/** `cauce report …`: the API's reports as tables (`--json`: the API's JSON as is). */
import type { Command } from 'commander';
import type { CommandContext } from './context';
import { table, when } from './format';
import { query } from './http';
import { plainMoney } from '../domain/money';

interface FunnelReport {
  period: { from: string; to: string };
  filters: { channel: string | null; owner: { name: string; email: string } | null };
  stages: Array<{ stage: string; count: number }>;
  conversions: Array<{ from: string; to: string; rate: number | null }>;
  lost: number;
  newCustomers: number;
  mrrCollected: { count: number; amount: number };
  rrrWon: { count: number; amount: number };
  currency: string;
}

const percent = (rate: number | null) => (rate === null ? '-' : `${(rate * 100).toFixed(1)}%`);
const money = (amount: number, currency: string) => `${currency} ${amount.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;

export function formatFunnel(r: FunnelReport): string {
  const owner = r.filters.owner ? `${r.filters.owner.name} <${r.filters.owner.email}>` : 'all';
  return [
    `Funnel ${when(r.period.from)} to ${when(r.period.to)} (exclusive); channel: ${r.filters.channel ?? 'all'}; owner: ${owner}`,
    '',
    table(r.stages, ['stage', 'count']),
    '',
    table(r.conversions.map((c) => ({ ...c, rate: percent(c.rate) })), ['from', 'to', 'rate']),
    '',
    table(
      [
        { figure: 'lost', count: r.lost },
        { figure: 'new customers', count: r.newCustomers },
        { figure: 'MRR collected', count: r.mrrCollected.count, amount: money(r.mrrCollected.amount, r.currency) },
        { figure: 'RRR won', count: r.rrrWon.count, amount: money(r.rrrWon.amount, r.currency) },
      ],
      ['figure', 'count', 'amount'],
    ),
  ].join('\n');
}

interface KpiMonth {
  month: string;
  volume: number;
  ratio: number | null;
  verdict: string;
}

interface BillingKpi {
  month: string;
  currency: string;
  thisMonth: number;
  lastMonth: number;
  ratio: number | null;
  verdict: string;
  approvedAtPercent: number;
  trend: KpiMonth[];
}

export function formatBillingKpi(r: BillingKpi): string {
  const before = r.trend.length > 1 ? r.trend[r.trend.length - 2].month : 'the month before';
  const against = `${plainMoney(r.thisMonth, r.currency)} against ${plainMoney(r.lastMonth, r.currency)}; approved at ${r.approvedAtPercent} %`;
  const ratio = r.ratio === null ? `no billing in ${before} to compare with` : `${r.ratio.toFixed(2)} % of ${before}`;
  return [
    `${r.month}: ${r.verdict}, ${ratio} (${against})`,
    '',
    table(
      r.trend.map((m) => ({ month: m.month, volume: plainMoney(m.volume, r.currency), ratio: m.ratio === null ? '-' : `${m.ratio.toFixed(2)} %`, verdict: m.verdict })),
      ['month', 'volume', 'ratio', 'verdict'],
    ),
  ].join('\n');
}

interface DigitalSales {
  month: string;
  prospects: { total: number; byChannel: Record<string, number> };
  closed: { sold: { total: number; byPaymentMode: Record<string, number> }; unattended: { total: number; byReason: Record<string, number> }; businessHandovers: number; cancelled: number };
  inProgress: number;
  billing: { currency: string; thisMonth: number; ratio: number | null; verdict: string };
  sales: Array<Record<string, unknown>>;
}

const breakdown = (counts: Record<string, number>) => Object.entries(counts).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';

export function formatDigitalSales(r: DigitalSales): string {
  const kpi = r.billing.ratio === null ? r.billing.verdict : `${r.billing.ratio.toFixed(2)} %, ${r.billing.verdict}`;
  return [
    `Digital sales ${r.month}`,
    `  prospects: ${r.prospects.total} (${breakdown(r.prospects.byChannel)})`,
    `  sold: ${r.closed.sold.total} (${breakdown(r.closed.sold.byPaymentMode)})`,
    `  unattended: ${r.closed.unattended.total} (${breakdown(r.closed.unattended.byReason)})`,
    `  handed over to business sales: ${r.closed.businessHandovers}; cancelled: ${r.closed.cancelled}; in progress: ${r.inProgress}`,
    `  billing: ${plainMoney(r.billing.thisMonth, r.billing.currency)} (KPI ${kpi})`,
    '',
    table(r.sales, ['endedAt', 'customerName', 'outcome', 'plan', 'paymentMode', 'unattendedReason', 'executive']),
  ].join('\n');
}

export function registerReportCommands(program: Command, { http, print }: CommandContext): void {
  const report = program.command('report').description('sales reports');
  report
    .command('funnel')
    .description('digital-sale funnel for a period: stage counts, conversion rates, lost, new customers, MRR collected, RRR won')
    .requiredOption('--from <date>', 'start, inclusive (YYYY-MM-DD or ISO date-time)')
    .requiredOption('--to <date>', 'end, exclusive; a date-only value includes that day')
    .option('--channel <code>', 'ecommerce | landing | hubspot | assisted | partner | upgrade')
    .option('--owner <idOrEmail>', "the opportunities' owner, by id or email")
    .action(async (o: { from: string; to: string; channel?: string; owner?: string }) => {
      const res = await http()<FunnelReport>('GET', `/api/reports/funnel${query({ from: o.from, to: o.to, channel: o.channel, owner: o.owner })}`);
      print(res, () => formatFunnel(res));
    });
  report
    .command('billing-kpi')
    .description("seed 002's monthly billing KPI: the month's billing against the month before (APPROVED at 98 % or more), and the 12-month trend")
    .requiredOption('--month <YYYY-MM>', 'the month, in Bolivia (this one or an earlier one)')
    .action(async (o: { month: string }) => {
      const res = await http()<BillingKpi>('GET', `/api/reports/billing-kpi${query({ month: o.month })}`);
      print(res, () => formatBillingKpi(res));
    });
  report
    .command('unattended-requests')
    .description("seed 002's unattended requests, oldest first: reason, age and owner (--open: those no re-entry took up)")
    .option('--open', 'only those not re-entered')
    .action(async (o: { open?: boolean }) => {
      const res = await http()<{ items: Array<Record<string, unknown>>; total: number }>('GET', `/api/reports/unattended-requests${query({ open: o.open ? 'true' : undefined, limit: 200 })}`);
      print(res, () => [`${res.total} unattended request(s)`, '', table(res.items, ['createdAt', 'ageDays', 'customerName', 'reasonCode', 'reason', 'owner', 'processId', 'reenteredAs'])].join('\n'));
    });
  report
    .command('digital-sales')
    .description("seed 002's general digital-sales report of a month: prospects, sales by payment mode, unattended by reason, billing (CSV/XLSX: GET /api/reports/digital-sales?format=)")
    .requiredOption('--month <YYYY-MM>', 'the month, in Bolivia')
    .action(async (o: { month: string }) => {
      const res = await http()<DigitalSales>('GET', `/api/reports/digital-sales${query({ month: o.month })}`);
      print(res, () => formatDigitalSales(res));
    });
}
