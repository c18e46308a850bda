/**
 * The S3 content store (lib/documents/s3-content-store.ts) through the real app, against a real
 * S3-compatible HTTP server (`s3rver`, on disk in a temp dir): the same upload and read paths as with
 * Postgres, objects filed by their sha256, nothing left in staging, nothing stored for a refused file.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { expectError, startApiStack, type ApiStack } from '../support/api';
import { pdfBytes, pngBytes, uploadDocument } from '../support/documents';

const BUCKET = 'cauce-documents';
const MAX_BYTES = 8 * 1024 * 1024;

let stack: ApiStack;
let server: S3rver;
let s3: S3Client;
let token: string;
const dir = mkdtempSync(path.join(os.tmpdir(), 'cauce-s3-'));

/** Every key in the bucket. */
async function keys(): Promise<string[]> {
  const res = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  return (res.Contents ?? []).map((o) => o.Key!).sort();
}

beforeAll(async () => {
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: BUCKET, configs: [] }] });
  const { port } = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver's fixed credentials; the store reads them from the SDK's chain, as in production.
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  s3 = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  stack = await startApiStack('docs-s3', {
    worker: false,
    config: (c) => ({ ...c, documents: { maxBytes: MAX_BYTES, store: 's3', s3: { bucket: BUCKET, region: 'us-east-1', endpoint, forcePathStyle: true, prefix: 'test/' } } }),
  });
  await stack.addUser('laura', ['consultant']);
  token = await stack.login('laura');
}, 60_000);

afterAll(async () => {
  await stack?.close();
  s3?.destroy();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('an upload of several parts is filed under its sha256, read back whole, and a repeat stores nothing new', async () => {
  // Over one 5 MiB part, so the multipart upload path runs.
  const bytes = Buffer.concat([pdfBytes('s3'), Buffer.alloc(6 * 1024 * 1024, 5)]);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const first = await uploadDocument(stack.baseUrl, token, bytes, { filename: 'contrato.pdf' });
  expect(first.status).toBe(201);
  expect(first.body).toMatchObject({ sha256, contentType: 'application/pdf', size: bytes.length });
  const second = await uploadDocument(stack.baseUrl, token, bytes, { filename: 'otra-vez.pdf' });
  expect(second.body.sha256).toBe(sha256);
  expect(await keys()).toEqual([`test/sha256/${sha256}`]);
  expect(await stack.db('document_contents').where({ sha256 }).count<{ count: string }[]>({ count: '*' })).toEqual([{ count: '1' }]);
  // No chunk went to Postgres.
  expect(await stack.db('document_chunks').count<{ count: string }[]>({ count: '*' })).toEqual([{ count: '0' }]);

  const download = await fetch(`${stack.baseUrl}/api/documents/${second.body.id}`, { headers: { authorization: `Bearer ${token}` } });
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toBe('application/pdf');
  expect(createHash('sha256').update(Buffer.from(await download.arrayBuffer())).digest('hex')).toBe(sha256);
});

test('a refused upload (wrong type, too large) leaves no object and no row', async () => {
  const before = await keys();
  const documents = await stack.db('documents').count<{ count: string }[]>({ count: '*' });
  expectError(await uploadDocument(stack.baseUrl, token, pngBytes(16, 4), { filename: 'contrato.pdf' }), 422, 'wrong_file_type');
  expectError(await uploadDocument(stack.baseUrl, token, Buffer.concat([pdfBytes('big'), Buffer.alloc(MAX_BYTES, 2)]), { filename: 'grande.pdf' }), 413, 'entity_too_large');
  expect(await keys()).toEqual(before);
  expect(await stack.db('documents').count<{ count: string }[]>({ count: '*' })).toEqual(documents);
});
