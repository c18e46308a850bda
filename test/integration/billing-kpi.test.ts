/**
 * Seed 002's billing KPI (`GET /api/reports/billing-kpi`, `cauce report billing-kpi`) over invoices
 * written straight into Postgres, every figure worked out by hand. Bolivia is UTC-4 all year, so a
 * La Paz month starts at 04:00 UTC on its first day.
 *
 *  month    BOB invoices (issued, UTC)                                   volume (centavos)  vs month before
 *  2025-10  none                                                                  0
 *  2025-11  1000.00 (Nov 10 15:00); 500.50 (Dec 1 03:30 = Nov 30 23:30 La Paz)    150050      no ratio, APPROVED
 *  2025-12  1470.48 (Dec 15)                                                      147048      97.99 (97.9993…), OBSERVED
 *  2026-01  1500.00 (Jan 20); 25.00 (Feb 1 03:59 = Jan 31 23:59 La Paz)           152500      103.70 (103.7052…), APPROVED
 *  2026-02  800.00 (Feb 1 04:00 = Feb 1 00:00 La Paz)                              80000      52.45 (52.4590…), OBSERVED
 *  2026-03  none                                                                       0      0, OBSERVED
 *  2026-04  1200.00 (Apr 2)                                                        120000      no ratio, APPROVED
 *
 * A CLP invoice in November and in April is never counted.
 */
import { monthAt, shiftMonth } from '../../domain/billing/kpi';
import { expectError, startApiStack, type ApiStack } from '../support/api';
import { runCli, useCliEnvironment } from '../support/cli';
import { issuedInvoice } from '../support/invoices';

let stack: ApiStack;
let token: string;

beforeAll(async () => {
  stack = await startApiStack('billing-kpi');
  await stack.addUser('bea', ['billing']);
  token = await stack.login('bea');
  const db = stack.db;
  await issuedInvoice(db, '2025-11-10T15:00:00Z', 1000);
  await issuedInvoice(db, '2025-12-01T03:30:00Z', '500.50');
  await issuedInvoice(db, '2025-11-12T12:00:00Z', 99_999, 'CLP');
  await issuedInvoice(db, '2025-12-15T12:00:00Z', '1470.48');
  await issuedInvoice(db, '2026-01-20T12:00:00Z', 1500);
  await issuedInvoice(db, '2026-02-01T03:59:00Z', 25);
  await issuedInvoice(db, '2026-02-01T04:00:00Z', 800);
  await issuedInvoice(db, '2026-04-02T12:00:00Z', 1200);
  await issuedInvoice(db, '2026-04-03T12:00:00Z', 5000, 'CLP');
});

afterAll(async () => {
  await stack?.close();
});

const kpi = (month: string, as = token) => stack.request('GET', `/api/reports/billing-kpi?month=${encodeURIComponent(month)}`, as);

test('a month against the one before, in centavos, with the verdict at the 98 % line', async () => {
  const res = await kpi('2025-12');
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ month: '2025-12', currency: 'BOB', thisMonth: 147_048, lastMonth: 150_050, ratio: 97.99, verdict: 'OBSERVED', approvedAtPercent: 98 });
  expect((await kpi('2026-01')).body).toMatchObject({ thisMonth: 152_500, lastMonth: 147_048, ratio: 103.7, verdict: 'APPROVED' });
});

test('the trend is the 12 months up to the one asked for, across a year end and a month with no billing', async () => {
  const res = await kpi('2026-04');
  expect(res.body).toMatchObject({ thisMonth: 120_000, lastMonth: 0, ratio: null, verdict: 'APPROVED' });
  const trend = res.body.trend as Array<{ month: string; volume: number; ratio: number | null; verdict: string }>;
  expect(trend.map((m) => m.month)).toEqual(Array.from({ length: 12 }, (_, i) => shiftMonth('2025-05', i)));
  expect(trend.slice(0, 6)).toEqual(trend.slice(0, 6).map((m) => ({ month: m.month, volume: 0, ratio: null, verdict: 'OBSERVED' })));
  expect(trend.slice(6)).toEqual([
    { month: '2025-11', volume: 150_050, ratio: null, verdict: 'APPROVED' },
    { month: '2025-12', volume: 147_048, ratio: 97.99, verdict: 'OBSERVED' },
    { month: '2026-01', volume: 152_500, ratio: 103.7, verdict: 'APPROVED' },
    { month: '2026-02', volume: 80_000, ratio: 52.45, verdict: 'OBSERVED' },
    { month: '2026-03', volume: 0, ratio: 0, verdict: 'OBSERVED' },
    { month: '2026-04', volume: 120_000, ratio: null, verdict: 'APPROVED' },
  ]);
});

test('a malformed month or one still to come is 422 naming month; the current month is judged so far', async () => {
  for (const month of ['2026-13', '2026-4', '26-04', '2026-04-01', '2026-00']) {
    const res = await kpi(month);
    expectError(res, 422, 'invalid_month');
    expect(res.body.error.details).toEqual([expect.objectContaining({ in: 'query', path: '/month', message: expect.stringContaining('YYYY-MM') })]);
  }
  const current = monthAt(new Date());
  const future = await kpi(shiftMonth(current, 1));
  expectError(future, 422, 'month_in_future');
  expect(future.body.error.details).toEqual([expect.objectContaining({ in: 'query', path: '/month' })]);
  expect((await kpi(current)).status).toBe(200);
  // No month at all does not match the API's schema.
  expectError(await stack.request('GET', '/api/reports/billing-kpi', token), 400, 'invalid_request');
});

describe('cauce report billing-kpi', () => {
  useCliEnvironment(() => ({ CAUCE_TOKEN: token }));

  test('prints the month, its verdict and the trend', async () => {
    const run = await runCli(stack.baseUrl, 'report', 'billing-kpi', '--month', '2025-12');
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out).toContain('2025-12: OBSERVED, 97.99 % of 2025-11 (BOB 1470.48 against BOB 1500.50; approved at 98 %)');
    expect(run.out).toMatch(/2025-11\s+BOB 1500\.50\s+-\s+APPROVED/);
  });

  test('a month still to come is refused with the reason', async () => {
    const run = await runCli(stack.baseUrl, 'report', 'billing-kpi', '--month', shiftMonth(monthAt(new Date()), 2));
    expect(run.code).not.toBe(0);
    expect(run.err).toContain('has not happened yet');
  });
});
