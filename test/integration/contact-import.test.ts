/**
 * The CRM contact import (POST /api/imports/contacts) on the real dev server, worker and Postgres:
 * each kind of bad row reported with its line and reason, valid rows opening opportunities with their
 * digital-opportunity process, a second import of the same file creating nothing, progress on a large
 * file, a failure mid-import keeping the rows done, and `cauce import contacts` printing the bad rows.
 * The rows are worked by the import job (workflows/contact-import.ts) on the stack's worker; its
 * durability and the size limit are in contact-import-job.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROWS_IN_FLIGHT } from '../../activities/imports';
import { contactImportWorkflowId } from '../../workflows/contact-import';
import { eventually, startApiStack, type ApiStack } from '../support/api';
import { runCli, useCliEnvironment } from '../support/cli';
import { countRows } from '../support/database';
import { recordHistory } from '../support/histories';

let stack: ApiStack;
const tokens: Record<string, string> = {};
let tmp: string;

beforeAll(async () => {
  stack = await startApiStack('contact-import');
  for (const user of ['admin', 'sales', 'support']) tokens[user] = await stack.login(user);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cauce-import-'));
});

afterAll(async () => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  await stack?.close();
});

const HEADER = 'email,name,phone,rut,company,company_rut,channel,source,campaign,partner,owner_email';

/** Line numbers are the CSV's: the header is line 1. */
const MIXED = [
  HEADER,
  'maria.gonzalez@ferreteriaelsol.cl,María González,+56 9 8765 4321,12.345.678-5,Ferretería El Sol Ltda.,77.123.456-9,hubspot,bulk,,,camila.rojas@cauce.example', // 2 ok
  'pedro.arriagada@,Pedro Arriagada,,,,,,,,,', // 3 bad email
  'jperez@panaderialaespiga.cl,Juan Pérez,,,"Panadería La Espiga, SpA",76.086.428-5,,campaign,cyber-2026,,', // 4 ok (defaults: hubspot)
  'rut.malo@constructora.cl,Rut Malo,,12.345.678-9,,,,,,,', // 5 bad RUT check digit
  'canal@desconocido.cl,Canal Desconocido,,,,,linkedin,,,,', // 6 unknown channel
  'owner@desconocido.cl,Owner Desconocido,,,,,,,,,nadie@cauce.example', // 7 unknown owner
  'MARIA.GONZALEZ@ferreteriaelsol.cl,María G.,,,,,,,,,', // 8 duplicate email of line 2
  'sin.nombre@clinicaandes.cl,,,,,,,,,,', // 9 missing name
  'contacto@clinicaandes.cl,Carolina Muñoz,,15.987.654-3,Clínica Los Andes,,partner,partner,,Contadores Asociados,diego.fuentes@cauce.example', // 10 ok
].join('\n');

const EXPECTED_INVALID = [
  { line: 3, errors: ['email: is not a valid email (got "pedro.arriagada@")'] },
  { line: 5, errors: ['rut: is not a valid Chilean RUT (format or check digit; got "12.345.678-9")'] },
  { line: 6, errors: ['channel: must be one of ecommerce, landing, hubspot, assisted, partner, upgrade (got "linkedin")'] },
  { line: 7, errors: ['owner_email: no owner with email "nadie@cauce.example"'] },
  { line: 8, errors: ['email: maria.gonzalez@ferreteriaelsol.cl already appears on line 2'] },
  { line: 9, errors: ['name: is required and must be a non-empty string'] },
];

const upload = (csv: string, token = tokens.sales, contentType = 'text/csv') =>
  stack.request('POST', '/api/imports/contacts?filename=crm.csv', token, undefined, { raw: csv, headers: { 'content-type': contentType } });

async function finished(id: string, timeoutMs = 60_000) {
  const res = await eventually(() => stack.request('GET', `/api/imports/${id}`, tokens.sales), (r) => r.body.status !== 'running', `import ${id} to finish`, timeoutMs);
  return res.body;
}

const funnelCounts = () => Promise.all(['contacts', 'companies', 'opportunities', 'process_instances'].map((t) => countRows(stack.db, t)));

describe('a CSV with good and bad rows', () => {
  let firstImport: string;

  test('answers 202 at once, then reports each bad row with its line and reason; good rows start their processes', async () => {
    const res = await upload(MIXED);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: expect.any(String), status: 'running', totalRows: 9, filename: 'crm.csv', createdBy: 'sales' });
    firstImport = res.body.id;

    const done = await finished(firstImport);
    // The job's history (ranges, invalid and created rows, child starts) for the replay test.
    const job = stack.temporal.workflow.getHandle(contactImportWorkflowId(firstImport));
    await job.result();
    await recordHistory(job, 'contact-import-mixed');
    expect(done).toMatchObject({
      status: 'completed', totalRows: 9, processedRows: 9, createdRows: 3, duplicateRows: 0, invalidRows: 6,
      progress: { processed: 9, total: 9, percent: 100 }, error: null, finishedAt: expect.any(String),
    });

    const invalid = await stack.request('GET', `/api/imports/${firstImport}/rows?status=invalid`, tokens.sales);
    expect(invalid.status).toBe(200);
    expect(invalid.body.total).toBe(6);
    expect(invalid.body.items.map((r: any) => ({ line: r.line, errors: r.errors }))).toEqual(EXPECTED_INVALID);

    const created = await stack.request('GET', `/api/imports/${firstImport}/rows?status=created`, tokens.sales);
    expect(created.body.items.map((r: any) => r.line)).toEqual([2, 4, 10]);
    for (const row of created.body.items) {
      // The process writes its row as it starts (the job started it before the import completed).
      const instances = await eventually(() => stack.db('process_instances').where({ business_key: row.opportunityId }), (r) => r.length > 0, 'the row’s process');
      expect(instances).toEqual([expect.objectContaining({ definition_id: 'digital-opportunity', started_by: 'sales' })]);
      expect(await stack.db('opportunities').where({ id: row.opportunityId }).first()).toMatchObject({ import_id: firstImport, contact_id: row.contactId, status: 'open' });
    }

    const byEmail = async (email: string) => stack.db('contacts').where({ email }).first();
    expect(await byEmail('maria.gonzalez@ferreteriaelsol.cl')).toMatchObject({ channel: 'hubspot', source_detail: 'bulk', rut: '12345678-5' });
    expect(await byEmail('jperez@panaderialaespiga.cl')).toMatchObject({ channel: 'hubspot', source_detail: 'campaign', campaign: 'cyber-2026' });
    expect(await byEmail('contacto@clinicaandes.cl')).toMatchObject({ channel: 'partner', source_detail: 'partner', partner: 'Contadores Asociados' });
    expect((await stack.db('companies').where({ rut: '76086428-5' }).first()).name).toBe('Panadería La Espiga, SpA');
    for (const email of ['pedro.arriagada@', 'rut.malo@constructora.cl', 'canal@desconocido.cl', 'owner@desconocido.cl', 'sin.nombre@clinicaandes.cl']) {
      expect(await byEmail(email)).toBeUndefined();
    }

    // The row's owner_email owns the opportunity from the start: the process keeps it.
    const maria = created.body.items.find((r: any) => r.line === 2);
    const p = await eventually(
      () => stack.request('GET', `/api/processes?businessKey=${maria.opportunityId}`, tokens.admin),
      (r) => r.body.items[0]?.stage === 'opportunity-assigned',
      'the first row at opportunity-assigned',
    );
    const detail = await stack.request('GET', `/api/processes/${p.body.items[0].id}`, tokens.admin);
    expect(detail.body.variables.owner).toMatchObject({ ownerName: 'Camila Rojas', username: 'sales' });
  });

  test('the same file again creates nothing: its good rows are duplicates', async () => {
    const before = await funnelCounts();
    const res = await upload(MIXED);
    expect(res.status).toBe(202);
    const done = await finished(res.body.id);
    expect(done).toMatchObject({ status: 'completed', totalRows: 9, createdRows: 0, duplicateRows: 3, invalidRows: 6 });
    expect(await funnelCounts()).toEqual(before);
    const duplicates = await stack.request('GET', `/api/imports/${res.body.id}/rows?status=duplicate`, tokens.sales);
    const firstRows = await stack.request('GET', `/api/imports/${firstImport}/rows?status=created`, tokens.sales);
    expect(duplicates.body.items.map((r: any) => [r.line, r.opportunityId])).toEqual(firstRows.body.items.map((r: any) => [r.line, r.opportunityId]));
  });

  test('rows are paginated', async () => {
    const page = await stack.request('GET', `/api/imports/${firstImport}/rows?limit=4&offset=4`, tokens.sales);
    expect(page.body).toMatchObject({ total: 9, limit: 4, offset: 4 });
    expect(page.body.items.map((r: any) => r.line)).toEqual([6, 7, 8, 9]);
  });
});

describe('a large file', () => {
  // Each row starts a real workflow on the shared dev server: 500 keep the suite's time reasonable on 2 cores.
  const LARGE = 500;

  test('500 rows: each row writes its progress as it is done, and the import completes', async () => {
    // The app and the worker share `stack.db`: its queries show which row each progress write belongs
    // to. A row is worked in one transaction: its import_rows update (with its line), then the counters.
    const queries: Array<{ sql: string; bindings: unknown[]; txId?: string }> = [];
    const capture = (q: { sql: string; bindings?: unknown[]; __knexTxId?: string }) => {
      if (/^update "(import_rows|imports)"/.test(q.sql)) queries.push({ sql: q.sql, bindings: q.bindings ?? [], txId: q.__knexTxId });
    };
    const rows = Array.from({ length: LARGE }, (_, i) => `lead${i}@masivo.cl,Lead Masivo ${i},,,,,hubspot,bulk,,,`);
    stack.db.on('query', capture);
    const { id, done } = await (async () => {
      const res = await upload([HEADER, ...rows].join('\n'));
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ status: 'running', totalRows: LARGE, processedRows: 0 });
      return { id: res.body.id as string, done: await finished(res.body.id, 300_000) };
    })().finally(() => stack.db.removeListener('query', capture));
    expect(done).toMatchObject({ status: 'completed', totalRows: LARGE, processedRows: LARGE, createdRows: LARGE, invalidRows: 0 });

    const mine = queries.filter((q) => q.bindings.includes(id));
    const progress = mine.filter((q) => /^update "imports" set "processed_rows" = "processed_rows" \+ \$1\b/.test(q.sql));
    const finish = mine.findIndex((q) => /^update "imports" set "status" = \$1\b/.test(q.sql));
    const lineOfTx = new Map(mine.filter((q) => q.sql.startsWith('update "import_rows"')).map((q) => [q.txId, q.bindings.find((b) => typeof b === 'number')]));
    // One progress write per row, each in its row's transaction, all before the import is marked finished.
    expect(progress).toHaveLength(LARGE);
    expect(progress.every((q) => q.txId !== undefined)).toBe(true);
    expect(progress.map((q) => lineOfTx.get(q.txId)).sort((a: any, b: any) => a - b)).toEqual(Array.from({ length: LARGE }, (_, i) => i + 2));
    expect(finish).toBeGreaterThan(mine.lastIndexOf(progress[LARGE - 1]));

    expect(await countRows(stack.db, 'opportunities', { import_id: id })).toBe(LARGE);
    const keys = stack.db('opportunities').where({ import_id: id }).select(stack.db.raw('id::text'));
    // Each process writes its own row as it starts, in the worker, after the job started it.
    const processRows = () => countRows(stack.db, 'process_instances', (q) => q.whereIn('business_key', keys));
    expect(await eventually(processRows, (n) => n >= LARGE, 'every row’s process', 120_000)).toBe(LARGE);
  }, 480_000);
});

describe('failures', () => {
  test('a failure mid-import marks it failed with the line and keeps the rows done before it', async () => {
    // A real database failure on one row's insert (no mocks): a trigger refusing one contact.
    await stack.db.raw(`
      create function refuse_boom() returns trigger language plpgsql as $$
      begin
        if new.email = 'boom@falla.cl' then raise exception 'simulated database failure'; end if;
        return new;
      end $$;
      create trigger refuse_boom before insert on contacts for each row execute function refuse_boom();`);
    try {
      const rows = Array.from({ length: 30 }, (_, i) => (i === 4 ? 'boom@falla.cl,Boom,,,,,,,,,' : `falla${i}@falla.cl,Falla ${i},,,,,,,,,`));
      const res = await upload([HEADER, ...rows].join('\n'));
      const done = await finished(res.body.id);
      expect(done.status).toBe('failed');
      expect(done.error).toMatch(/^line 6: .*simulated database failure/);
      const recorded = await stack.request('GET', `/api/imports/${res.body.id}/rows?limit=200`, tokens.sales);
      const lines = recorded.body.items.map((r: any) => r.line);
      // Rows go ROWS_IN_FLIGHT at a time (from line 2) and a batch settles whole: every row before line 6
      // and its batch-mates are recorded, line 6 is not, and the import stops at the end of that batch.
      const batchEnd = 2 + (Math.floor((6 - 2) / ROWS_IN_FLIGHT) + 1) * ROWS_IN_FLIGHT - 1;
      expect(Math.max(...lines)).toBe(batchEnd);
      expect(lines).toEqual(Array.from({ length: batchEnd - 1 }, (_, i) => i + 2).filter((line) => line !== 6));
      expect(done.processedRows).toBe(lines.length);
      expect(await countRows(stack.db, 'contacts', { email: 'falla0@falla.cl' })).toBe(1);
    } finally {
      await stack.db.raw('drop trigger refuse_boom on contacts; drop function refuse_boom();');
    }
  });

  test('a file that cannot be read is 422 naming the line; nothing is recorded', async () => {
    const before = await countRows(stack.db, 'imports');
    const cases: Array<[string, string, RegExp]> = [
      ['email,nombre\na@b.cl,Ana\n', 'invalid_csv_header', /line 1: unknown column "nombre".*; missing required column "name"/],
      ['email,name\n"a@b.cl,Ana\n', 'malformed_csv', /Quote Not Closed/],
      ['email,name\n', 'empty_csv', /no contacts/],
    ];
    for (const [csv, code, message] of cases) {
      const res = await upload(csv);
      expect({ csv, status: res.status, code: res.body.error.code }).toEqual({ csv, status: 422, code });
      expect(res.body.error.message).toMatch(message);
      expect(res.body.error.details[0]).toMatchObject({ in: 'body', path: expect.stringMatching(/^line \d+$/) });
    }
    expect(await countRows(stack.db, 'imports')).toBe(before);
  });

  test('plain text is accepted as CSV; JSON is 415; other roles are 403 (import) and 404 (read); unknown imports are 404', async () => {
    const plain = await upload('email,name\nplano@texto.cl,Texto Plano\n', tokens.sales, 'text/plain');
    expect(plain.status).toBe(202);
    await finished(plain.body.id);
    expect((await stack.request('POST', '/api/imports/contacts', tokens.sales, { email: 'x' })).status).toBe(415);
    expect((await upload(MIXED, tokens.support)).status).toBe(403);
    // Reading one import is for the roles that bring leads in; to anyone else it does not exist.
    expect((await stack.request('GET', `/api/imports/${plain.body.id}`, tokens.support)).status).toBe(404);
    expect((await stack.request('GET', '/api/imports/00000000-0000-4000-8000-000000000000', tokens.sales)).status).toBe(404);
    expect((await stack.request('GET', '/api/imports/not-a-uuid', tokens.sales)).status).toBe(400);
  });
});

describe('cauce import contacts', () => {
  useCliEnvironment(() => ({ CAUCE_TOKEN: tokens.sales }));
  const cauce = (...args: string[]) => runCli(stack.baseUrl, ...args);

  test('prints the counts and the invalid rows by line, and exits 1', async () => {
    const file = path.join(tmp, 'crm-cli.csv');
    // New emails (so rows are created, not duplicates) and the same kinds of bad rows.
    writeFileSync(file, MIXED.replace(/maria\.gonzalez@/gi, 'maria.cli@').replace('jperez@', 'jperez.cli@').replace('contacto@clinicaandes', 'cli@clinicaandes'));

    const run = await cauce('import', 'contacts', file, '--interval', '100');
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/^Importing crm-cli\.csv \(9 rows\) as [0-9a-f-]{36}$/m);
    expect(run.out).toMatch(/completed: 9 row\(s\): 3 created, 0 duplicate, 6 invalid/);
    const table = run.out.slice(run.out.indexOf('invalid rows:')).split('\n').slice(1);
    expect(table[0]).toMatch(/^LINE\s+REASON$/);
    expect(table.slice(1).map((l) => l.replace(/\s+/, ' | '))).toEqual(
      EXPECTED_INVALID.map((r) => `${r.line} | ${r.errors.join('; ').replace('maria.gonzalez@', 'maria.cli@')}`),
    );
  });

  test('the README example file imports without invalid rows: exit 0; --json prints the import', async () => {
    const run = await cauce('--json', 'import', 'contacts', path.join(__dirname, '../../definitions/examples/contacts.csv'), '--interval', '100');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out);
    expect(result).toMatchObject({ status: 'completed', filename: 'contacts.csv', totalRows: 5, invalidRows: 0, invalid: [] });
    expect(result.createdRows + result.duplicateRows).toBe(5); // some of its contacts were imported above
  });
});
