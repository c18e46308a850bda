/**
 * The contact import as a durable job, with the worker in its own OS process as production runs it:
 * the largest CSV accepted streams in while /healthz keeps answering quickly, one byte more is 413,
 * and an import whose worker is killed mid-range finishes on the next worker with every contact,
 * opportunity and process written once. Real dev server, Postgres and worker processes.
 */
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { MAX_CSV_BYTES } from '../../api/csv';
import { contactImportWorkflowId } from '../../workflows/contact-import';
import { eventually, expectError, startApiStack, type ApiStack } from '../support/api';
import { countRows } from '../support/database';
import { killWorkerProcess, startWorkerProcess } from '../support/worker-process';

let stack: ApiStack;
let token: string;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  stack = await startApiStack('contact-import-job', { worker: false });
  token = await stack.login('sales');
  worker = await startWorkerProcess(stack.databaseUrl, stack.config.temporal.taskQueue);
}, 60_000);

afterAll(async () => {
  if (worker) await killWorkerProcess(worker);
  await stack?.close();
});

const HEADER = 'email,name,phone,rut,company,company_rut,channel,source,campaign,partner,owner_email';
const row = (prefix: string, i: number) => `${prefix}${i}@carga.cl,Contacto ${prefix} ${i},+56 9 5555 ${String(i % 10_000).padStart(4, '0')},,Empresa ${i} SpA,,hubspot,bulk,,,`;

/** A CSV of valid, distinct contacts of exactly `bytes` bytes (the last name padded to fit). */
function csvOfSize(bytes: number, prefix: string): { csv: string; rows: number } {
  const lines = [HEADER];
  let size = HEADER.length;
  const longest = row(prefix, 999_999).length + 1;
  while (size + longest * 2 < bytes) {
    const next = row(prefix, lines.length);
    lines.push(next);
    size += next.length + 1;
  }
  const last = row(prefix, lines.length);
  lines.push(last.replace(`Contacto ${prefix}`, `Contacto ${prefix}${'x'.repeat(bytes - size - 1 - last.length)}`));
  const csv = lines.join('\n');
  expect(Buffer.byteLength(csv)).toBe(bytes);
  return { csv, rows: lines.length - 1 };
}

const upload = (body: string | Buffer | ReadableStream<Uint8Array>) =>
  fetch(`${stack.baseUrl}/api/imports/contacts?filename=job.csv`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

const importOf = (id: string) => stack.request('GET', `/api/imports/${id}`, token);

test('while the largest accepted CSV streams in and its job runs, /healthz answers every time, 99% within 200 ms of its idle answers, none 1 s past them', async () => {
  // As bytes: the test's own 10 MB string and its lines are garbage before the probing starts.
  const { csv: text, rows } = csvOfSize(MAX_CSV_BYTES, 'max');
  const csv = Buffer.from(text);
  const healthz = async () => {
    const started = performance.now();
    const res = await fetch(`${stack.baseUrl}/healthz`);
    await res.text();
    return { ms: performance.now() - started, status: res.status };
  };
  // The same probe with nothing importing, just before: what this machine's load alone costs now.
  const idle: number[] = [];
  for (let i = 0; i < 40; i++) idle.push((await healthz()).ms);
  const idleSlowest = Math.max(...idle);
  const latencies: number[] = [];
  const statuses = new Set<number>();
  let stop = false;
  // One probe at a time, for as long as the import is watched (the eventually below bounds it).
  const probe = (async () => {
    while (!stop) {
      const { ms, status } = await healthz();
      latencies.push(ms);
      statuses.add(status);
    }
  })();
  let id: string | undefined;
  try {
    const res = await upload(csv);
    expect(res).toMatchObject({ status: 202, body: { status: 'running', totalRows: rows } });
    id = res.body.id as string;
    // Watched until the job has worked its first range in the worker process (the whole file would start ~100k processes).
    await eventually(() => importOf(id!), (r) => r.body.processedRows >= 100, 'the job to work its first range', 240_000);
  } finally {
    stop = true;
    await probe;
    if (id) await stack.temporal.workflow.getHandle(contactImportWorkflowId(id)).terminate('test over: the rest is not needed');
  }
  expect([...statuses]).toEqual([200]);
  expect(latencies.length).toBeGreaterThan(20);
  // Measured against the idle probes of the same run: on the shared 2-core machine (other test files
  // run beside this one) an idle stack's slowest probe already reaches ~150-300 ms when Postgres or
  // Temporal wait for a core. 200 ms more is the bound for (almost) every answer, 1 s more for the
  // slowest. A parse that held the event loop (the old import: seconds, /healthz 503) fails both.
  const sorted = [...latencies].sort((a, b) => a - b);
  expect(sorted[Math.floor(sorted.length * 0.99)]).toBeLessThan(idleSlowest + 200);
  expect(sorted[sorted.length - 1]).toBeLessThan(idleSlowest + 1_000);
  expect(await countRows(stack.db, 'import_rows', { import_id: id })).toBe(rows);
}, 300_000);

test('one byte more than the limit is 413, whether Content-Length says so or the stream crosses it; nothing is recorded', async () => {
  const before = await countRows(stack.db, 'imports');
  const { csv } = csvOfSize(MAX_CSV_BYTES + 1, 'over');
  const declared = await upload(csv);
  expectError(declared, 413, 'entity_too_large');
  expect(declared.body.error.message).toContain(String(MAX_CSV_BYTES));

  // No Content-Length: the body arrives chunked, and the limit is found while reading it.
  const bytes = Buffer.from(csv);
  const chunked = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.subarray(i, i + 64 * 1024));
      controller.close();
    },
  });
  expectError(await upload(chunked), 413, 'entity_too_large');
  expect(await countRows(stack.db, 'imports')).toBe(before);
}, 120_000);

test('an import whose worker is killed mid-range finishes on the next worker, with each contact, opportunity and process once', async () => {
  const ROWS = 120;
  const BLOCKED_LINE = 60;
  const csv = [HEADER, ...Array.from({ length: ROWS }, (_, i) => row('restart', i))].join('\n');
  // The test holds the lock that creating line 60's company takes (companies without a RUT are created
  // under an advisory lock on their name, lib/leads.ts): the job stops there, inside its first range,
  // and the worker is killed at that point, not before or after.
  const holder = await stack.db.transaction();
  let id: string;
  try {
    await holder.raw('select pg_advisory_xact_lock(hashtext(?))', [`company:empresa ${BLOCKED_LINE - 2} spa`]);
    const res = await upload(csv);
    expect(res.status).toBe(202);
    id = res.body.id;
    // Rows go 4 at a time from line 2: every row before the blocked one's group, and its group-mates, get done.
    const groupStart = BLOCKED_LINE - ((BLOCKED_LINE - 2) % 4);
    await eventually(() => importOf(id), (r) => r.body.processedRows === groupStart - 2 + 3, 'the job to reach the locked row', 120_000);
    const opened = stack.db('opportunities').where({ import_id: id }).select(stack.db.raw('id::text'));
    expect(await countRows(stack.db, 'process_instances', (q) => q.whereIn('business_key', opened))).toBe(0); // the range has not returned
    await killWorkerProcess(worker!);
    worker = undefined;
  } finally {
    await holder.commit();
  }

  worker = await startWorkerProcess(stack.databaseUrl, stack.config.temporal.taskQueue);
  const done = await eventually(() => importOf(id), (r) => r.body.status !== 'running', 'the import to finish on the new worker', 180_000);
  expect(done.body).toMatchObject({ status: 'completed', totalRows: ROWS, processedRows: ROWS, createdRows: ROWS, duplicateRows: 0, invalidRows: 0 });

  expect(await countRows(stack.db, 'import_rows', { import_id: id, status: 'created' })).toBe(ROWS);
  expect(await countRows(stack.db, 'contacts', (q) => q.where('email', 'like', 'restart%@carga.cl'))).toBe(ROWS);
  expect(await countRows(stack.db, 'opportunities', { import_id: id })).toBe(ROWS);
  const keys = stack.db('opportunities').where({ import_id: id }).select(stack.db.raw('id::text'));
  // Each opportunity's process started exactly once (its workflow runs on whichever worker is alive).
  await eventually(() => countRows(stack.db, 'process_instances', (q) => q.whereIn('business_key', keys)), (n) => n >= ROWS, 'every process row', 120_000);
  const perKey = await stack.db('process_instances').whereIn('business_key', keys).groupBy('business_key').select('business_key').count({ n: '*' });
  expect(perKey).toHaveLength(ROWS);
  expect(perKey.every((k: any) => Number(k.n) === 1)).toBe(true);
}, 420_000);
