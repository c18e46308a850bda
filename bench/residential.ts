/**
 * Seed 002 at scale, against a real, throwaway Postgres:
 *
 * 1. The billing KPI over 1,000,000 invoices (five years, BOB and CLP): the query GET
 *    /api/reports/billing-kpi runs (13 months of one currency, a range sum per La Paz month over the
 *    covering index of migration 020), timed over 200 months, against the baseline of one pass grouping
 *    each row by its month, in the same run. Prints p50/p99 of both, their ratio, and EXPLAIN of the
 *    KPI's plan (target: p99 under 200 ms, index-only scans).
 * 2. A 50,000-line bank statement imported through the API's CSV path (parse, check, store), then
 *    10,000 pending transfers matched by the `deposits.match` activity, 16 at a time: lines per second,
 *    receipts per second, and a baseline of the same number of plain look-ups by deposit number. 500
 *    receipts carry a deposit two sales claim: none may be auto-matched twice (printed: must be 0).
 *
 *   npm run bench:residential [-- --invoices 1000000 --lines 50000 --receipts 10000]
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createDomainActivities } from '../activities/domain';
import type { StepContext } from '../activities/context';
import { allRowsOrNone, type CsvSpec } from '../api/csv';
import { createReportService } from '../api/reports/service';
import { createReportStore } from '../api/reports/store';
import { BILLING_KPI, monthBounds, shiftMonth } from '../domain/billing/kpi';
import { parseStatementRow } from '../domain/residential';
import { createBankStatementStore } from '../lib/bank-statements';
import { createDb, migrateLatest } from '../lib/db';
import { wholeNumberOption } from './options';
import { throwawayPostgres } from './throwaway-postgres';

const log = (message: string) => process.stderr.write(`[bench:residential] ${message}\n`);


const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const fmt = (n: number) => n.toFixed(1).padStart(10);

async function kpiBench(db: ReturnType<typeof createDb>, invoices: number): Promise<void> {
  log(`inserting ${invoices} invoices over 2022-2026 (90% BOB, 10% CLP)…`);
  const start = Date.parse('2022-01-01T04:00:00Z');
  const span = Date.parse('2027-01-01T04:00:00Z') - start;
  await db.raw(
    `insert into invoices (number, customer_tax_id, customer_name, description, amount, currency, channel, idempotency_key, issued_at)
     select n, '4455667', 'Cliente ' || n, 'Internet residencial', 50 + (n % 400) + (n % 7) / 10.0, case when n % 10 = 0 then 'CLP' else 'BOB' end,
            'Ventas digitales', 'bench-invoice-' || n, to_timestamp(? / 1000.0 + (n::bigint * ?) / ? / 1000.0)
       from generate_series(1, ?) n`,
    [start, span, invoices, invoices],
  );
  await db.raw('analyze invoices');
  // A table in its steady state: autovacuum keeps the visibility map set, which index-only scans need.
  await db.raw('vacuum analyze invoices');
  const store = createReportStore(db);
  const months = Array.from({ length: 200 }, (_, i) => shiftMonth('2023-01', (i * 7) % 48));
  const monthsOf = (month: string) => Array.from({ length: BILLING_KPI.trendMonths + 1 }, (_, i) => shiftMonth(month, i - BILLING_KPI.trendMonths)).map((m) => ({ month: m, ...monthBounds(m) }));
  const timed = async (query: (month: string) => Promise<unknown>) => {
    for (const month of months.slice(0, 10)) await query(month); // warm up
    const times: number[] = [];
    for (const month of months) {
      const t0 = performance.now();
      await query(month);
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b);
  };
  const indexed = await timed((month) => store.monthlyBilling(BILLING_KPI.currency, monthsOf(month)));
  // The baseline: one pass over the 13 months grouping each row by its La Paz month, as a first version would.
  const grouped = (month: string) => {
    const ms = monthsOf(month);
    return db.raw(
      `select to_char(date_trunc('month', issued_at at time zone ?), 'YYYY-MM') as month, round(sum(amount) * 100)::bigint
         from invoices where currency = ? and issued_at >= ? and issued_at < ? group by 1`,
      [BILLING_KPI.zone, BILLING_KPI.currency, ms[0].start, ms[ms.length - 1].end],
    );
  };
  const baseline = await timed(grouped);
  const ms = monthsOf('2025-06');
  const plan = await db.raw(
    `explain (analyze, buffers, costs off) select m.month,
            coalesce((select round(sum(i.amount) * 100) from invoices i where i.currency = ? and i.issued_at >= m.start_at and i.issued_at < m.end_at), 0)::bigint
       from unnest(?::text[], ?::timestamptz[], ?::timestamptz[]) as m(month, start_at, end_at)`,
    [BILLING_KPI.currency, ms.map((m) => m.month), ms.map((m) => m.start), ms.map((m) => m.end)],
  );

  process.stdout.write(`\nBilling KPI over ${invoices} invoices: the 13-month query of GET /api/reports/billing-kpi, ${months.length} months\n`);
  process.stdout.write(`${'variant'.padEnd(44)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}\n`);
  process.stdout.write(`${'a range sum per month (index-only)'.padEnd(44)}${fmt(percentile(indexed, 50))}${fmt(percentile(indexed, 99))}\n`);
  process.stdout.write(`${'baseline: one pass grouped by La Paz month'.padEnd(44)}${fmt(percentile(baseline, 50))}${fmt(percentile(baseline, 99))}\n`);
  process.stdout.write(`ratio baseline/indexed at p99: ${(percentile(baseline, 99) / percentile(indexed, 99)).toFixed(1)}×\n`);
  process.stdout.write(`EXPLAIN (the KPI's query), 2024-06..2025-06:\n${(plan.rows as Array<Record<string, string>>).map((r) => `  ${r['QUERY PLAN']}`).join('\n')}\n`);

  // The whole digital-sales report (GET /api/reports/digital-sales, JSON) over the same invoices and
  // `sales` residential sales spread over the same five years, most of them ended.
  const sales = Math.max(1, Math.round(invoices / 10));
  log(`inserting ${sales} residential sales…`);
  await db.raw(
    `insert into process_instances (id, workflow_id, definition_id, version, business_key, status, outcome, variables, started_by, started_at, ended_at, final_state)
     select 'bench-sale-' || n, 'residential-sale/bench-sale-' || n, 'residential-sale', 1, 'bench-sale-' || n,
            case when n % 10 = 0 then 'running' else 'completed' end, case when n % 10 = 0 then null when n % 3 = 0 then 'unattended' else 'sold' end,
            jsonb_build_object('prospect', jsonb_build_object('name', 'P' || n, 'phone', '70000000', 'channel', (array['web','facebook','chatbot','whatsapp','other'])[1 + n % 5])),
            'bench', s, case when n % 10 = 0 then null else s + interval '3 days' end,
            case when n % 10 = 0 then null else jsonb_build_object('variables', jsonb_build_object(
              'customer', jsonb_build_object('data', jsonb_build_object('fullName', 'Cliente ' || n)),
              'paymentMode', jsonb_build_object('outcome', (array['prepaidTransfer','prepaidWeb','postpaid'])[1 + n % 3]),
              'unattended', jsonb_build_object('reasonCode', 'no-coverage'))) end
       from (select n, to_timestamp(? / 1000.0 + (n::bigint * ?) / ? / 1000.0) as s from generate_series(1, ?) n) g`,
    [start, span, sales, sales],
  );
  await db.raw('vacuum analyze process_instances');
  const reports = createReportService({ db });
  const reportTimes = await timed((month) => reports.digitalSales({ month, format: 'json' }));
  const sample = await reports.digitalSales({ month: '2025-06', format: 'json' });
  process.stdout.write(`\nDigital-sales report over ${invoices} invoices and ${sales} sales (about ${sample.sales.length} ended a month), ${months.length} months\n`);
  process.stdout.write(`${'GET /api/reports/digital-sales (JSON)'.padEnd(44)}${fmt(percentile(reportTimes, 50))}${fmt(percentile(reportTimes, 99))}  (p50, p99 ms)\n`);
  process.stdout.write(`ratio report/KPI at p99: ${(percentile(reportTimes, 99) / percentile(indexed, 99)).toFixed(1)}×\n`);
}

async function matchingBench(db: ReturnType<typeof createDb>, lines: number, receipts: number, concurrency: number): Promise<void> {
  const csv = ['date,amount,deposit_number,operation_type,depositor'];
  for (let i = 0; i < lines; i++) csv.push(`2026-11-${String(1 + (i % 28)).padStart(2, '0')},${100 + (i % 300)}.${String(i % 100).padStart(2, '0')},DEP-${i},${['transfer', 'deposit', 'qr'][i % 3]},Depositante ${i}`);
  const text = csv.join('\n') + '\n';
  const spec: CsvSpec<'date' | 'amount' | 'deposit_number' | 'operation_type' | 'depositor'> = {
    columns: ['date', 'amount', 'deposit_number', 'operation_type', 'depositor'], required: ['date', 'amount', 'deposit_number', 'operation_type', 'depositor'], rows: 'bank statement',
  };
  log(`importing a ${lines}-line statement (${(text.length / 1024 / 1024).toFixed(1)} MiB)…`);
  const t0 = performance.now();
  const rows = await allRowsOrNone(Readable.from([text]), spec, parseStatementRow, { code: 'invalid_statement_rows' });
  const imported = await createBankStatementStore(db).import({ filename: 'bench.csv', importedBy: 'bench' }, rows);
  const importMs = performance.now() - t0;

  // Receipts for the first `receipts` lines; every 20th is claimed by two sales (the second must not auto-match).
  const activity = createDomainActivities({ db })['deposits.match'];
  const receiptOf = (i: number) => {
    const r = rows[i];
    return { depositNumber: r.depositNumber, amount: (r.amountMinor / 100).toFixed(2), depositedOn: r.depositedOn, operationType: r.operationType, depositor: r.depositor };
  };
  const ctx = (i: number, sale: string): StepContext => ({ instanceId: `bench-sale-${sale}-${i}`, definitionId: 'residential-sale', version: 1, businessKey: `b-${i}`, stepId: 'matchDeposit', key: `bench-sale-${sale}-${i}:matchDeposit:1` });
  const calls: Array<() => Promise<unknown>> = [];
  /** The deposit number of each call, in call order. */
  const order: string[] = [];
  for (let i = 0; i < receipts; i++) {
    calls.push(() => activity(receiptOf(i), ctx(i, 'a')));
    order.push(rows[i].depositNumber);
    if (i % 20 === 0) {
      calls.push(() => activity(receiptOf(i), ctx(i, 'b')));
      order.push(rows[i].depositNumber);
    }
  }
  const pool = async (jobs: Array<() => Promise<unknown>>) => {
    let next = 0;
    const results: unknown[] = new Array(jobs.length);
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]();
      }
    }));
    return results;
  };
  const t1 = performance.now();
  const results = (await pool(calls)) as Array<{ result: string }>;
  const matchMs = performance.now() - t1;
  const t2 = performance.now();
  await pool(Array.from({ length: calls.length }, (_, i) => () => db('bank_statement_lines').where({ deposit_number: rows[i % receipts].depositNumber }).first('id')));
  const lookupMs = performance.now() - t2;
  // Deposits that more than one sale was told matched: each sale's answer, not the table (whose key forbids it).
  const salesPerDeposit = new Map<string, number>();
  results.forEach((r, i) => {
    if (r.result === 'matched') salesPerDeposit.set(order[i], (salesPerDeposit.get(order[i]) ?? 0) + 1);
  });
  const twice = [...salesPerDeposit.values()].filter((n) => n > 1).length;
  const tally = results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.result]: (acc[r.result] ?? 0) + 1 }), {});

  process.stdout.write(`\nBank statement: ${imported.lines} lines imported in ${importMs.toFixed(0)} ms (${((imported.lines / importMs) * 1000).toFixed(0)} lines/s)\n`);
  process.stdout.write(`Matching ${calls.length} receipts (${receipts} sales, ${calls.length - receipts} second claims), ${concurrency} at a time:\n`);
  process.stdout.write(`${'variant'.padEnd(44)}${'total ms'.padStart(10)}${'per second'.padStart(12)}\n`);
  process.stdout.write(`${'deposits.match (decide and claim)'.padEnd(44)}${fmt(matchMs)}${((calls.length / matchMs) * 1000).toFixed(0).padStart(12)}\n`);
  process.stdout.write(`${'baseline: a look-up by deposit number'.padEnd(44)}${fmt(lookupMs)}${((calls.length / lookupMs) * 1000).toFixed(0).padStart(12)}\n`);
  process.stdout.write(`ratio match/look-up time: ${(matchMs / lookupMs).toFixed(1)}×\n`);
  process.stdout.write(`results: ${Object.entries(tally).map(([k, n]) => `${k} ${n}`).join(', ')}; deposits matched to two sales: ${twice} (must be 0)\n`);
}

async function main(): Promise<void> {
  const invoices = wholeNumberOption('invoices', 1_000_000);
  const lines = wholeNumberOption('lines', 50_000);
  const receipts = Math.min(wholeNumberOption('receipts', 10_000), lines);
  const concurrency = wholeNumberOption('concurrency', 16);
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'cauce-bench-residential-'));
  chmodSync(tmpDir, 0o711); // as root, Postgres runs as `postgres` and must pass through it
  const { url, cleanup } = await throwawayPostgres(tmpDir, 'cauce_residential');
  const db = createDb(url, { poolMax: concurrency + 2 });
  try {
    await migrateLatest(db);
    await kpiBench(db, invoices);
    await matchingBench(db, lines, receipts, concurrency);
  } finally {
    await db.destroy();
    await cleanup.stop().catch((err) => log(`could not stop ${cleanup.name}: ${err}`));
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
});
