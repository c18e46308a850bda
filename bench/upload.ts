/**
 * `npm run bench:upload [-- --mb 20 --runs 3]` (or `npx tsx bench/upload.ts`)
 *
 * A document upload streams into the store: POST /api/documents of a 20 MB PDF through the real app
 * and HTTP server (api/app.ts, api/http-server.ts) into a throwaway embedded Postgres (with
 * DATABASE_URL set, a throwaway database on that server), no Temporal (uploads never use it). The
 * client streams the file from disk in 64 KiB reads, so what grows is the API's own memory. Memory is
 * sampled every 2 ms while the upload runs: the peak of heapUsed + external (Buffers live outside the
 * JS heap, so heapUsed alone would flatter a server that buffers the file), minus the level after a
 * full GC before it. Prints that growth per run and as a ratio of the file size (target < 2×), the
 * upload's time and throughput, and checks the stored bytes' sha256 against the file's.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createApp } from '../api/app';
import { createHttpServer } from '../api/http-server';
import { loadConfig } from '../lib/config';
import { createDb, migrateLatest } from '../lib/db';
import { createUser } from '../lib/users';
import { throwawayPostgres, type Stop } from './throwaway-postgres';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const MB = arg('mb', 20);
const RUNS = arg('runs', 3);
const TARGET_RATIO = 2;

const log = (message: string) => process.stderr.write(`[bench:upload] ${message}\n`);
const memory = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** A PDF header followed by random bytes (incompressible; sniffed as application/pdf). */
function writeFile(dir: string, bytes: number): { file: string; sha256: string } {
  const file = path.join(dir, 'contrato.pdf');
  const content = Buffer.concat([Buffer.from('%PDF-1.4\n%bench\n'), randomBytes(bytes - 16)]);
  writeFileSync(file, content);
  return { file, sha256: createHash('sha256').update(content).digest('hex') };
}

/** POST /api/documents with the file streamed from disk as one multipart part. */
function upload(baseUrl: string, token: string, file: string): Promise<{ status: number; body: any }> {
  const boundary = `----cauce-bench-${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nbench-contract\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="contrato.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = statSync(file).size;
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${baseUrl}/api/documents`,
      { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + size + tail.length } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c) => (text += c)).on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.write(head);
    createReadStream(file, { highWaterMark: 64 * 1024 })
      .on('error', reject)
      .on('end', () => req.end(tail))
      .pipe(req, { end: false });
  });
}

async function main() {
  const cleanups: Stop[] = [];
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'cauce-bench-upload-'));
  cleanups.push({ name: 'temp dir', stop: async () => rmSync(tmpDir, { recursive: true, force: true }) });
  try {
    log('starting Postgres…');
    const { url, cleanup } = await throwawayPostgres(tmpDir, 'cauce_upload');
    cleanups.push(cleanup);
    const db = createDb(url);
    cleanups.push({ name: 'pool', stop: () => db.destroy() });
    await migrateLatest(db);
    // A kind the upload names, so the kind check runs as in production.
    const definition = { id: 'bench-documents', documents: { 'bench-contract': { types: ['application/pdf'] } }, steps: {} };
    await db('definitions').insert({ id: 'bench-documents', name: 'bench', latest_version: 1 });
    await db('definition_versions').insert({ definition_id: 'bench-documents', version: 1, content_hash: 'bench', source: '', definition, deployed_by: 'bench' });
    await createUser(db, { username: 'bench', password: 'bench-password-1234', roles: ['consultant'] });

    const config = loadConfig();
    const limits = { ...config, documents: { ...config.documents, maxBytes: Math.max(config.documents.maxBytes, MB * 1024 * 1024 + 1024) } };
    const app = createApp({ db, temporal: undefined as never, config: limits });
    const server = createHttpServer(app, config.http.timeouts).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    cleanups.push({ name: 'HTTP server', stop: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const login = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: 'bench-password-1234' }) });
    const { token } = (await login.json()) as { token: string };

    const size = MB * 1024 * 1024;
    log(`${RUNS} uploads of ${mib(size)}`);
    const ratios: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      // Each run a new file: a repeat would store no new content and flatter the figure.
      const { file, sha256 } = writeFile(tmpDir, size);
      gc();
      gc();
      const baseline = memory();
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, memory())), 2);
      const started = process.hrtime.bigint();
      const res = await upload(baseUrl, token, file);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      clearInterval(sampler);
      peak = Math.max(peak, memory());
      if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${JSON.stringify(res.body)}`);
      if (res.body.sha256 !== sha256) throw new Error(`stored sha256 ${res.body.sha256} is not the file's ${sha256}`);
      const growth = peak - baseline;
      ratios.push(growth / size);
      console.log(`run ${run}: ${mib(size)} in ${ms.toFixed(0)} ms (${(size / 1024 / 1024 / (ms / 1000)).toFixed(1)} MiB/s), heap+external growth ${mib(growth)} = ${(growth / size).toFixed(2)}× the file`);
    }
    const worst = Math.max(...ratios);
    console.log(`worst growth: ${worst.toFixed(2)}× the file size (target < ${TARGET_RATIO}×): ${worst < TARGET_RATIO ? 'OK' : 'OVER TARGET'}`);
  } finally {
    for (const c of cleanups.reverse()) await c.stop().catch((err) => log(`${c.name}: ${err}`));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
