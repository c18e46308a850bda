/**
 * Seed 002's general digital-sales report (`GET /api/reports/digital-sales`) over residential sales
 * written straight into process_instances as the interpreter leaves them (start variables; the last
 * state of an ended one), every figure worked out by hand. Months are La Paz's (UTC-4).
 *
 *  sale  channel   started (UTC)          ended (UTC)            how
 *  S1    facebook  Nov 2                  Nov 5                  sold, prepaid transfer
 *  S2    web       Oct 28                 Nov 3                  sold, postpaid
 *  S3    chatbot   Nov 10                 Nov 10                 unattended, no-coverage
 *  S4    web       Nov 12                 Nov 12                 handed over to business sales
 *  S5    whatsapp  Nov 20                 —                      running
 *  S6    web       Nov 25                 Nov 26                 cancelled
 *  S7    web       Dec 1 03:30 (Nov 30)   —                      running
 *  S8    web       Dec 1 04:30 (Dec 1)    —                      running: December, not counted
 *  S9    other     Nov 29                 Dec 1 03:00 (Nov 30)   sold, prepaid on the web
 *  —     an assisted-sale ended Nov 15: another process, never counted
 *
 * November: prospects S1 S3 S4 S5 S6 S7 S9 = 7 (web 3, facebook 1, chatbot 1, whatsapp 1, other 1);
 * closed S2 S1 S3 S4 S6 S9 (in the order they ended): sold 3 (one per payment mode), unattended 1
 * (no-coverage), 1 handed over, 1 cancelled; in progress S5 S7 = 2. Billing: BOB 1000.00 in November,
 * 800.00 in October: 125 %, APPROVED.
 */
import ExcelJS from 'exceljs';
import { startApiStack, type ApiStack } from '../support/api';
import { runCli, useCliEnvironment } from '../support/cli';
import { issuedInvoice } from '../support/invoices';

let stack: ApiStack;
let token: string;

interface Sale {
  key: string;
  channel: string;
  started: string;
  ended?: string;
  status?: string;
  outcome?: string;
  paymentMode?: string;
  reason?: string;
  definitionId?: string;
  customerName?: string;
}

const SALES: Sale[] = [
  { key: 'S1', channel: 'facebook', started: '2026-11-02T14:00:00Z', ended: '2026-11-05T15:00:00Z', outcome: 'sold', paymentMode: 'prepaidTransfer' },
  { key: 'S2', channel: 'web', started: '2026-10-28T14:00:00Z', ended: '2026-11-03T15:00:00Z', outcome: 'sold', paymentMode: 'postpaid' },
  { key: 'S3', channel: 'chatbot', started: '2026-11-10T14:00:00Z', ended: '2026-11-10T15:00:00Z', outcome: 'unattended', reason: 'no-coverage' },
  { key: 'S4', channel: 'web', started: '2026-11-12T14:00:00Z', ended: '2026-11-12T15:00:00Z', outcome: 'business-handover' },
  { key: 'S5', channel: 'whatsapp', started: '2026-11-20T14:00:00Z' },
  { key: 'S6', channel: 'web', started: '2026-11-25T14:00:00Z', ended: '2026-11-26T15:00:00Z', status: 'cancelled' },
  { key: 'S7', channel: 'web', started: '2026-12-01T03:30:00Z' },
  { key: 'S8', channel: 'web', started: '2026-12-01T04:30:00Z' },
  { key: 'S9', channel: 'other', started: '2026-11-29T14:00:00Z', ended: '2026-12-01T03:00:00Z', outcome: 'sold', paymentMode: 'prepaidWeb' },
  { key: 'A1', channel: 'web', started: '2026-11-14T14:00:00Z', ended: '2026-11-15T15:00:00Z', outcome: 'won', definitionId: 'assisted-sale' },
];

async function insertSale(s: Sale) {
  const id = `report-${s.key}`;
  const start = { prospect: { name: `Prospecto ${s.key}`, phone: '+591 70000000', channel: s.channel } };
  const last = {
    ...start,
    classification: { outcome: 'residential', completedBy: 'mariela' },
    customer: { data: { fullName: s.customerName ?? `Cliente ${s.key}` } },
    ...(s.paymentMode ? { quote: { name: 'Hogar Fibra 100' }, paymentMode: { outcome: s.paymentMode } } : {}),
    ...(s.reason ? { unattended: { reasonCode: s.reason } } : {}),
  };
  const status = s.status ?? (s.ended ? 'completed' : 'running');
  await stack.db('process_instances').insert({
    id, workflow_id: `residential-sale/${id}`, definition_id: s.definitionId ?? 'residential-sale', version: 1, business_key: id, status,
    outcome: s.outcome ?? null, stage: s.outcome === 'sold' ? 'attended' : null, variables: start, started_by: 'scenario',
    started_at: new Date(s.started), ended_at: s.ended ? new Date(s.ended) : null,
    final_state: s.ended ? { variables: last, stageHistory: [], runs: 1 } : null,
  });
}

beforeAll(async () => {
  stack = await startApiStack('digital-sales-report', { worker: false });
  await stack.addUser('lucia', ['digital-sales-lead']);
  token = await stack.login('lucia');
  for (const s of SALES) await insertSale(s);
  await issuedInvoice(stack.db, '2026-11-15T12:00:00Z', 600);
  await issuedInvoice(stack.db, '2026-12-01T03:59:00Z', 400);
  await issuedInvoice(stack.db, '2026-10-10T12:00:00Z', 800);
});

afterAll(async () => {
  await stack?.close();
});

const report = (query: string, as = token) => fetch(`${stack.baseUrl}/api/reports/digital-sales?${query}`, { headers: { authorization: `Bearer ${as}` } });

test('the month: prospects by channel, sales closed by how, in progress, the billing KPI and the month\'s sales in the order they ended', async () => {
  const res = await stack.request('GET', '/api/reports/digital-sales?month=2026-11', token);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    month: '2026-11',
    prospects: { total: 7, byChannel: { web: 3, facebook: 1, chatbot: 1, whatsapp: 1, other: 1 } },
    closed: {
      sold: { total: 3, byPaymentMode: { prepaidTransfer: 1, prepaidWeb: 1, postpaid: 1 } },
      unattended: { total: 1, byReason: { 'no-coverage': 1, 'no-capacity': 0, 'offer-refused': 0, 'no-payment': 0 } },
      businessHandovers: 1,
      cancelled: 1,
    },
    inProgress: 2,
    billing: { currency: 'BOB', thisMonth: 100_000, lastMonth: 80_000, ratio: 125, verdict: 'APPROVED' },
  });
  expect(res.body.sales.map((s: any) => s.businessKey)).toEqual(['report-S2', 'report-S1', 'report-S3', 'report-S4', 'report-S6', 'report-S9']);
  expect(res.body.sales[1]).toEqual({
    processId: 'report-S1', businessKey: 'report-S1', status: 'completed', outcome: 'sold', stage: 'attended', channel: 'facebook', customerName: 'Cliente S1',
    plan: 'Hogar Fibra 100', paymentMode: 'prepaidTransfer', unattendedReason: null, executive: 'mariela', startedAt: '2026-11-02T14:00:00.000Z', endedAt: '2026-11-05T15:00:00.000Z',
  });
  expect(res.body.sales[2]).toMatchObject({ outcome: 'unattended', unattendedReason: 'no-coverage', plan: null });
});

test('as CSV: one line per sale of the month, with a header', async () => {
  const res = await report('month=2026-11&format=csv');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/csv');
  expect(res.headers.get('content-disposition')).toBe('attachment; filename="ventas-digitales-2026-11.csv"');
  const lines = (await res.text()).trim().split('\n');
  expect(lines[0]).toBe('Ended,Customer,Outcome,Plan,Payment mode,Unattended reason,Channel,Executive,Started,Business key,Process');
  expect(lines).toHaveLength(7);
  expect(lines[2]).toBe('2026-11-05T15:00:00.000Z,Cliente S1,sold,Hogar Fibra 100,prepaidTransfer,,facebook,mariela,2026-11-02T14:00:00.000Z,report-S1,report-S1');
});

test('a name from the public form that looks like a formula reaches the CSV as text, not as a formula', async () => {
  // September, outside the scenario's month.
  await insertSale({ key: 'F1', channel: 'web', started: '2026-09-08T14:00:00Z', ended: '2026-09-08T15:00:00Z', outcome: 'business-handover', customerName: '=HYPERLINK("http://evil.example","x")' });
  const csv = await (await report('month=2026-09&format=csv')).text();
  const line = csv.split('\n').find((l) => l.includes('report-F1'))!;
  expect(line).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
  expect(line).not.toMatch(/,=HYPERLINK/);
  // The JSON is the data as it is.
  const json = await stack.request('GET', '/api/reports/digital-sales?month=2026-09', token);
  expect(json.body.sales.find((s: any) => s.businessKey === 'report-F1').customerName).toBe('=HYPERLINK("http://evil.example","x")');
});

test('as XLSX: the sales and the summary, as a spreadsheet reads them', async () => {
  const res = await report('month=2026-11&format=xlsx');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('spreadsheetml');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
  expect(book.worksheets.map((w) => w.name)).toEqual(['Ventas', 'Resumen']);
  expect(book.getWorksheet('Ventas')!.rowCount).toBe(7);
  const summary = new Map<string, unknown>();
  book.getWorksheet('Resumen')!.eachRow((row, n) => {
    if (n > 1) summary.set(String(row.getCell(1).value), row.getCell(2).value);
  });
  expect(Object.fromEntries(summary)).toMatchObject({
    prospects: 7, sold: 3, 'sold: postpaid': 1, unattended: 1, 'unattended: no-coverage': 1, 'handed over to business sales': 1, cancelled: 1,
    'in progress': 2, 'billing (BOB)': '1000.00', 'billing KPI (%)': 125, 'billing KPI verdict': 'APPROVED',
  });
});

test('a malformed or future month is 422; the report is the leads\' (403 for others)', async () => {
  expect((await stack.request('GET', '/api/reports/digital-sales?month=2026-13', token)).status).toBe(422);
  expect((await stack.request('GET', '/api/reports/digital-sales?month=2999-01', token)).body.error.code).toBe('month_in_future');
  expect((await stack.request('GET', '/api/reports/digital-sales?month=2026-11&format=pdf', token)).status).toBe(400);
  await stack.addUser('tomas', ['cashier']);
  expect((await stack.request('GET', '/api/reports/digital-sales?month=2026-11', await stack.login('tomas'))).status).toBe(403);
});

describe('cauce report digital-sales', () => {
  useCliEnvironment(() => ({ CAUCE_TOKEN: token }));

  test('prints the figures and the sales of the month', async () => {
    const run = await runCli(stack.baseUrl, 'report', 'digital-sales', '--month', '2026-11');
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out).toContain('prospects: 7 (web 3, facebook 1, chatbot 1, whatsapp 1, other 1)');
    expect(run.out).toContain('sold: 3 (prepaidTransfer 1, prepaidWeb 1, postpaid 1)');
    expect(run.out).toContain('unattended: 1 (no-coverage 1)');
    expect(run.out).toContain('billing: BOB 1000.00 (KPI 125.00 %, APPROVED)');
    expect(run.out).toMatch(/Cliente S1\s+sold\s+Hogar Fibra 100\s+prepaidTransfer/);
  });
});
