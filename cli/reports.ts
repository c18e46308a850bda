/** `cauce report …`: the API's reports as tables (`--json`: the API's JSON as is). */
import type { Command } from 'commander';
import type { CommandContext } from './context';
import { table, when } from './format';
import { query } from './http';

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
}
