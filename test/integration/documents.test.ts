/**
 * Documents end to end, through the real app, a real worker, the dev server and Postgres: uploads
 * sniffed and deduplicated, refused types and sizes, who may read a document before and after a task
 * completion attaches it, and the document rules of task completions (test/fixtures/valid/document-check.yaml).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { completeTaskUpdate } from '../../workflows/messages';
import { eventually, expectError, inboxTask, startApiStack, type ApiStack, type Caller } from '../support/api';
import { daysAgo, pdfBytes, pngBytes, uploadDocument } from '../support/documents';

const MAX_BYTES = 1024 * 1024;

let stack: ApiStack;
const callers: Record<string, Caller> = {};
/** laura and carla are consultants (the definition's submitters), sofia validates, ines is outside, root operates. */
const USERS: Record<string, string[]> = { laura: ['consultant'], carla: ['consultant'], sofia: ['commercial-support'], ines: ['cashier'], root: ['admin'] };

const upload = (who: string, bytes: Buffer, options: Parameters<typeof uploadDocument>[3] = {}) => uploadDocument(stack.baseUrl, callers[who].token, bytes, options);
const get = (p: string, who: string) => stack.request('GET', p, callers[who].token);
/** The status of reading a document's bytes (not JSON). */
const readStatus = async (id: string, who: string) => (await fetch(`${stack.baseUrl}/api/documents/${id}`, { headers: { authorization: `Bearer ${callers[who].token}` } })).status;
const count = async (table: string) => Number((await stack.db(table).count<{ count: string }[]>({ count: '*' }))[0].count);

beforeAll(async () => {
  stack = await startApiStack('docs', { config: (c) => ({ ...c, documents: { ...c.documents, maxBytes: MAX_BYTES } }) });
  for (const [username, roles] of Object.entries(USERS)) {
    await stack.addUser(username, roles);
    callers[username] = { username, token: await stack.login(username) };
  }
  const yaml = readFileSync(path.join(__dirname, '..', 'fixtures', 'valid', 'document-check.yaml'), 'utf8');
  const deployed = await stack.request('POST', '/api/definitions', callers.root.token, undefined, { raw: yaml, headers: { 'content-type': 'application/yaml' } });
  expect(deployed.status).toBe(201);
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

describe('upload', () => {
  test('a PNG is stored with the type sniffed from its bytes, whatever the client claims, and reads back byte for byte', async () => {
    const bytes = pngBytes(64, 1);
    const res = await upload('laura', bytes, { filename: 'foto.png', claimedType: 'application/pdf' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), sha256: createHash('sha256').update(bytes).digest('hex'), contentType: 'image/png', size: bytes.length, kind: null });

    const download = await fetch(`${stack.baseUrl}/api/documents/${res.body.id}`, { headers: { authorization: `Bearer ${callers.laura.token}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('content-disposition')).toBe('attachment; filename=foto.png');
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);

    expect((await get(`/api/documents/${res.body.id}/meta`, 'laura')).body).toMatchObject({ filename: 'foto.png', uploadedBy: 'laura', processId: null, issuedAt: null });
  });

  test('a file name with quotes and accents reaches the Content-Disposition escaped, never inline', async () => {
    const res = await upload('laura', pdfBytes(), { filename: 'informe "final" ñ.pdf' });
    expect(res.status).toBe(201);
    const download = await fetch(`${stack.baseUrl}/api/documents/${res.body.id}`, { headers: { authorization: `Bearer ${callers.laura.token}` } });
    // fetch's FormData sends a quote in a file name as %22 (as browsers do); the accent arrives as UTF-8.
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="informe %22final%22 ?.pdf"; filename*=UTF-8''informe%20%2522final%2522%20%C3%B1.pdf`);
    expect((await get(`/api/documents/${res.body.id}/meta`, 'laura')).body.filename).toBe('informe %22final%22 ñ.pdf');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('a repeat upload is a new document on the same content: one content row, its chunks once', async () => {
    // Larger than one chunk (256 KiB), so the content has several chunks.
    const bytes = Buffer.concat([pdfBytes('repeat'), Buffer.alloc(600 * 1024, 7)]);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const chunksBefore = await count('document_chunks');
    const first = await upload('laura', bytes, { filename: 'contrato.pdf', kind: 'contract' });
    const second = await upload('carla', bytes, { filename: 'contrato-copia.pdf', kind: 'contract' });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.body).toMatchObject({ sha256, contentType: 'application/pdf', size: bytes.length, kind: 'contract' });
    expect(await stack.db('document_contents').where({ sha256 }).count<{ count: string }[]>({ count: '*' })).toEqual([{ count: '1' }]);
    expect(await stack.db('documents').where({ sha256 }).count<{ count: string }[]>({ count: '*' })).toEqual([{ count: '2' }]);
    expect((await count('document_chunks')) - chunksBefore).toBe(3);

    const again = await fetch(`${stack.baseUrl}/api/documents/${second.body.id}`, { headers: { authorization: `Bearer ${callers.carla.token}` } });
    expect(createHash('sha256').update(Buffer.from(await again.arrayBuffer())).digest('hex')).toBe(sha256);
  });

  test('a renamed file, a type the kind does not allow, an unknown kind or an empty file is 422, and nothing is stored', async () => {
    const [documents, contents, chunks] = [await count('documents'), await count('document_contents'), await count('document_chunks')];

    const renamed = await upload('laura', pngBytes(16, 2), { filename: 'contrato.pdf' });
    expectError(renamed, 422, 'wrong_file_type');
    expect(renamed.body.error.message).toBe("The file is named 'contrato.pdf' but its bytes are image/png");

    const wrongKind = await upload('laura', pngBytes(16, 3), { filename: 'contrato', kind: 'contract' });
    expectError(wrongKind, 422, 'wrong_file_type');
    expect(wrongKind.body.error.message).toBe("A document of kind 'contract' must be application/pdf; this file is image/png (sniffed from its bytes)");
    expect(wrongKind.body.error.details).toEqual({ kind: 'contract', sniffedType: 'image/png', allowed: ['application/pdf'] });

    // Plain text has no signature: it is application/octet-stream, which no kind here allows.
    expectError(await upload('laura', Buffer.from('not a pdf at all'), { filename: 'notes', kind: 'contract' }), 422, 'wrong_file_type');
    expectError(await upload('laura', pdfBytes(), { kind: 'passport' }), 422, 'unknown_document_kind');
    expectError(await upload('laura', Buffer.alloc(0), { filename: 'empty' }), 422, 'invalid_document');
    expectError(await upload('laura', pdfBytes(), { kind: 'rut-certificate', issuedAt: '2026-02-30' }), 422, 'invalid_document');

    expect([await count('documents'), await count('document_contents'), await count('document_chunks')]).toEqual([documents, contents, chunks]);
  });

  test('an upload over documents.maxBytes is 413 and leaves nothing behind', async () => {
    const [documents, chunks] = [await count('documents'), await count('document_chunks')];
    const res = await upload('laura', Buffer.concat([pdfBytes('big'), Buffer.alloc(MAX_BYTES, 1)]), { filename: 'grande.pdf' });
    expectError(res, 413, 'entity_too_large');
    expect(res.body.error.details).toEqual({ limit: MAX_BYTES });
    expect([await count('documents'), await count('document_chunks')]).toEqual([documents, chunks]);
  });

  test('a client that disconnects halfway leaves nothing behind and no transaction open', async () => {
    const [documents, chunks] = [await count('documents'), await count('document_chunks')];
    const boundary = 'cauce-test-boundary';
    const req = http.request(`${stack.baseUrl}/api/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${callers.laura.token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': 800 * 1024 },
    });
    req.on('error', () => {});
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="corte.pdf"\r\n\r\n`);
    req.write(Buffer.concat([pdfBytes('cut'), Buffer.alloc(400 * 1024, 3)]));
    // Past the first chunk (256 KiB), so the transaction has written some before the client goes.
    await eventually(() => stack.db.raw("select count(*)::int as n from pg_stat_activity where datname = current_database() and state = 'idle in transaction'"), (r) => r.rows[0].n > 0, 'the upload transaction');
    req.destroy();
    await eventually(() => stack.db.raw("select count(*)::int as n from pg_stat_activity where datname = current_database() and state like '%in transaction%'"), (r) => r.rows[0].n === 0, 'the transaction rolled back');
    expect([await count('documents'), await count('document_chunks')]).toEqual([documents, chunks]);
  });

  test('a body that is not multipart, or has no file, is 400/415', async () => {
    expectError(await stack.request('POST', '/api/documents', callers.laura.token, { file: 'x' }), 415, 'unsupported_media_type');
    const form = new FormData();
    form.append('kind', 'contract');
    const res = await fetch(`${stack.baseUrl}/api/documents`, { method: 'POST', headers: { authorization: `Bearer ${callers.laura.token}` }, body: form });
    expectError({ status: res.status, body: await res.json() }, 400, 'invalid_request');
  });
});

/** A document-check instance started by laura, and its submit task. */
async function startCheck(): Promise<{ id: string; submit: any }> {
  const res = await stack.request('POST', '/api/processes', callers.laura.token, { definitionId: 'document-check', businessKey: `docs-${Math.random().toString(36).slice(2)}`, variables: { client: 'Ferretería El Tornillo' } });
  expect(res.status).toBe(201);
  return { id: res.body.id, submit: await inboxTask(stack, callers.laura, res.body.id, 'submit') };
}

const complete = (who: string, taskId: string, outcome: string, data: Record<string, unknown>) =>
  stack.request('POST', `/api/tasks/${taskId}/complete`, callers[who].token, { outcome, data });

/** The 422 of a completion, with the problem at `path`, whose message contains `message`. */
function expectProblem(res: { status: number; body: any }, path: string, message: string) {
  expectError(res, 422, 'InvalidFormData');
  expect(res.body.error.details.problems).toEqual(expect.arrayContaining([{ path, message: expect.stringContaining(message) }]));
}

async function uploadSet(who = 'laura') {
  const contract = (await upload(who, pdfBytes(`contract ${Math.random()}`), { kind: 'contract', filename: 'contrato.pdf' })).body.id as string;
  const rut = (await upload(who, pngBytes(32, Math.floor(Math.random() * 255)), { kind: 'rut-certificate', issuedAt: daysAgo(5), filename: 'rut.png' })).body.id as string;
  return { contract, rut };
}

describe('who may read a document', () => {
  test('before it is attached: its uploader and operators; after: whoever sees the instance', async () => {
    const { contract, rut } = await uploadSet();
    for (const [who, status] of [['laura', 200], ['root', 200], ['carla', 404], ['sofia', 404], ['ines', 404]] as const) {
      expect({ who, status: await readStatus(contract, who) }).toEqual({ who, status });
      expect({ who, status: (await get(`/api/documents/${contract}/meta`, who)).status }).toEqual({ who, status });
    }

    const { id, submit } = await startCheck();
    expect((await complete('laura', submit.id, 'submitted', { contract, rutCertificate: rut })).status).toBe(200);
    expect((await get(`/api/documents/${contract}/meta`, 'laura')).body).toMatchObject({ processId: id });
    // Attached: the instance's acting roles (consultant, commercial-support) and operators see it; ines still does not.
    for (const [who, status] of [['laura', 200], ['carla', 200], ['sofia', 200], ['root', 200], ['ines', 404]] as const) {
      expect({ who, status: await readStatus(contract, who) }).toEqual({ who, status });
    }
  });

  test('a document id the caller cannot see, or of an unknown id, does not exist for a completion either', async () => {
    const { contract, rut } = await uploadSet('carla');
    const { submit } = await startCheck();
    expectProblem(await complete('laura', submit.id, 'submitted', { contract, rutCertificate: rut }), '/contract', `Document ${contract} does not exist`);
    expectProblem(await complete('laura', submit.id, 'submitted', { contract: '00000000-0000-4000-8000-000000000000', rutCertificate: rut }), '/contract', 'does not exist');
    // A document attached to one instance cannot be given to another.
    const mine = await uploadSet();
    const first = await startCheck();
    expect((await complete('laura', first.submit.id, 'submitted', { contract: mine.contract, rutCertificate: mine.rut })).status).toBe(200);
    expectProblem(await complete('laura', submit.id, 'submitted', { contract: mine.contract, rutCertificate: rut }), '/contract', 'belongs to another process instance');
    // Nothing was attached by the refused completions.
    expect((await get(`/api/documents/${rut}/meta`, 'carla')).body.processId).toBeNull();
  });
});

describe('task completions with documents', () => {
  test('a missing required document is 422 naming its field and kind', async () => {
    const { rut } = await uploadSet();
    const { submit } = await startCheck();
    expectProblem(await complete('laura', submit.id, 'submitted', { rutCertificate: rut }), '/contract', "The document 'contract' (Signed contract) is required");
  });

  test('a document of another kind, or issued too long ago, is 422 naming its field', async () => {
    const { contract } = await uploadSet();
    const old = (await upload('laura', pngBytes(24, 9), { kind: 'rut-certificate', issuedAt: daysAgo(45) })).body.id;
    const { submit } = await startCheck();
    expectProblem(await complete('laura', submit.id, 'submitted', { contract, rutCertificate: contract }), '/rutCertificate', "is a 'contract', not a 'rut-certificate'");
    expectProblem(await complete('laura', submit.id, 'submitted', { contract, rutCertificate: old }), '/rutCertificate', `was issued on ${daysAgo(45)}, more than 30d ago`);
    const undated = (await upload('laura', pngBytes(24, 10), { kind: 'rut-certificate' })).body.id;
    expectProblem(await complete('laura', submit.id, 'submitted', { contract, rutCertificate: undated }), '/rutCertificate', 'upload it again with its issue date');
  });

  test('a document inside a list is checked at its own place (/photos/1/photo) and attached with the rest', async () => {
    const { contract, rut } = await uploadSet();
    const photo = (await upload('laura', pngBytes(20, 33), { kind: 'site-photo', filename: 'fachada.png' })).body.id as string;
    const { id, submit } = await startCheck();
    const photos = [{ caption: 'fachada', photo }, { caption: 'otra', photo: contract }];
    expectProblem(await complete('laura', submit.id, 'submitted', { contract, rutCertificate: rut, photos }), '/photos/1/photo', "is a 'contract', not a 'site-photo'");
    expect((await get(`/api/documents/${photo}/meta`, 'laura')).body.processId).toBeNull();
    expect((await complete('laura', submit.id, 'submitted', { contract, rutCertificate: rut, photos: [photos[0]] })).status).toBe(200);
    expect((await get(`/api/documents/${photo}/meta`, 'laura')).body).toMatchObject({ processId: id });
    expect(await readStatus(photo, 'sofia')).toBe(200);
  });

  test('a rejected document blocks the validating outcome; returned with a reason, it goes back to the submitter; accepted, the process ends', async () => {
    const { contract, rut } = await uploadSet();
    const { id, submit } = await startCheck();
    expect((await complete('laura', submit.id, 'submitted', { contract, rutCertificate: rut })).status).toBe(200);
    const validate = await inboxTask(stack, callers.sofia, id, 'validate');

    const rejected = { contract: { verdict: 'accepted' }, 'rut-certificate': { verdict: 'rejected', reason: 'ilegible' } };
    expectProblem(await complete('sofia', validate.id, 'validated', { verdicts: rejected }), '/verdicts/rut-certificate', "The document 'rut-certificate' (RUT certificate) is rejected (ilegible), so the task cannot complete with 'validated'; choose 'returned'");
    expectProblem(await complete('sofia', validate.id, 'returned', { verdicts: { ...rejected, 'rut-certificate': { verdict: 'rejected' } } }), '/verdicts/rut-certificate/reason', 'rejected without a reason');
    expectProblem(await complete('sofia', validate.id, 'validated', { verdicts: { contract: { verdict: 'accepted' } } }), '/verdicts/rut-certificate', 'has no verdict');
    // The workflow's own validator refuses it too: an update sent past the API gets the same answer.
    const direct = await (await stack.handle(id))
      .executeUpdate(completeTaskUpdate, { args: [{ taskId: validate.id, outcome: 'validated', data: { verdicts: rejected }, actor: { username: 'sofia', roles: ['commercial-support'] } }] })
      .catch((e) => e);
    expect(direct).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(direct.cause).toMatchObject({ type: 'InvalidFormData' });
    expect(direct.cause.details[0].problems).toEqual([{ path: '/verdicts/rut-certificate', message: expect.stringContaining("is rejected (ilegible)") }]);
    expect((await complete('sofia', validate.id, 'returned', { verdicts: rejected })).status).toBe(200);

    // Back to laura, who sends a new certificate; this time both are accepted.
    const resubmit = await inboxTask(stack, callers.laura, id, 'submit');
    expect(resubmit.id).not.toBe(submit.id);
    const fresh = (await upload('laura', pngBytes(40, 77), { kind: 'rut-certificate', issuedAt: daysAgo(1) })).body.id;
    expect((await complete('laura', resubmit.id, 'submitted', { contract, rutCertificate: fresh })).status).toBe(200);
    const again = await inboxTask(stack, callers.sofia, id, 'validate');
    const accepted = { contract: { verdict: 'accepted' }, 'rut-certificate': { verdict: 'accepted' } };
    expect((await complete('sofia', again.id, 'validated', { verdicts: accepted })).status).toBe(200);
    const ended = await get(`/api/processes/${id}`, 'root');
    expect(ended.body).toMatchObject({ status: 'completed' });
  });
});
