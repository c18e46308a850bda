import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../lib/config';
import { thrownBy } from '../support/errors';

function expectConfigError(fn: () => unknown, message: string | RegExp): ConfigError {
  const err = thrownBy(fn, ConfigError);
  expect(err.message).toMatch(message);
  return err;
}

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempConfig(yaml: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cauce-config-'));
  tempDirs.push(dir);
  const file = path.join(dir, 'temporal.config.yaml');
  writeFileSync(file, yaml);
  return file;
}

describe('loadConfig', () => {
  it('has working defaults from temporal.config.yaml', () => {
    const config = loadConfig({});
    expect(config.temporal).toMatchObject({
      address: null,
      namespace: 'default',
      taskQueue: 'cauce',
      devServer: { port: 7233, uiPort: 8233, dbFile: '.data/temporal.db' },
      continueAsNewAfterEvents: 2000,
    });
    expect(config.temporal.searchAttributes).toEqual({
      CauceDefinitionId: 'Keyword',
      CauceBusinessKey: 'Keyword',
      CauceStage: 'Keyword',
      CauceOpenTaskRoles: 'KeywordList',
      CauceStatus: 'Keyword',
    });
    expect(config.temporal.worker.maxCachedWorkflows).toBeGreaterThan(0);
    expect(config.http).toMatchObject({ host: '127.0.0.1', port: 3000, trustProxyHops: 0 });
    expect(config.http.timeouts.requestMs).toBeLessThan(300_000);
    expect(config.auth.loginLimits.perUserAndAddress.failures).toBeGreaterThan(0);
    expect(config.database.url).toBeNull();
    expect(config.dataDir).toBe('.data');
    expect(Object.isFrozen(config.temporal.devServer)).toBe(true);
  });

  it('documents: Postgres by default; s3 needs a bucket, and a wrong value names its key and source', () => {
    expect(loadConfig({}).documents).toMatchObject({ maxBytes: 26_214_400, store: 'postgres', s3: { bucket: null } });
    expect(loadConfig({ CAUCE_DOCUMENT_STORE: 's3', CAUCE_S3_BUCKET: 'cauce-docs', CAUCE_S3_ENDPOINT: 'http://minio:9000', CAUCE_DOCUMENT_MAX_BYTES: '1048576' }).documents).toMatchObject({
      maxBytes: 1_048_576,
      store: 's3',
      s3: { bucket: 'cauce-docs', endpoint: 'http://minio:9000' },
    });
    expectConfigError(() => loadConfig({ CAUCE_DOCUMENT_STORE: 's3' }), 'documents.s3.bucket (from temporal.config.yaml): must name the bucket when documents.store is s3, got null');
    expectConfigError(() => loadConfig({ CAUCE_DOCUMENT_STORE: 'disk' }), 'documents.store (from CAUCE_DOCUMENT_STORE): must be one of postgres, s3, got "disk"');
    expectConfigError(() => loadConfig({ CAUCE_S3_ENDPOINT: 'minio:9000' }), 'documents.s3.endpoint (from CAUCE_S3_ENDPOINT): must be an http:// or https:// URL or null, got "minio:9000"');
    expectConfigError(() => loadConfig({ CAUCE_DOCUMENT_MAX_BYTES: '0' }), 'documents.maxBytes (from CAUCE_DOCUMENT_MAX_BYTES): must be an integer >= 1, got 0');
  });

  it('applies environment overrides, converting numbers', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_NAMESPACE: 'sales',
      TEMPORAL_TASK_QUEUE: 'cauce-2',
      TEMPORAL_DEV_PORT: '7300',
      TEMPORAL_UI_PORT: '8300',
      TEMPORAL_MAX_CACHED_WORKFLOWS: '0',
      DATABASE_URL: 'postgres://u:p@db:5432/cauce',
      PORT: '8080',
      HOST: '0.0.0.0',
      CAUCE_DATA_DIR: '/var/lib/cauce',
    });
    expect(config.temporal.address).toBe('temporal.internal:7233');
    expect(config.temporal.namespace).toBe('sales');
    expect(config.temporal.taskQueue).toBe('cauce-2');
    expect(config.temporal.devServer).toEqual({ port: 7300, uiPort: 8300, dbFile: '/var/lib/cauce/temporal.db' });
    expect(config.temporal.worker.maxCachedWorkflows).toBe(0);
    expect(config.database.url).toBe('postgres://u:p@db:5432/cauce');
    expect(config.http).toMatchObject({ host: '0.0.0.0', port: 8080 });
    expect(config.dataDir).toBe('/var/lib/cauce');
  });

  it('treats empty env vars as unset and TEMPORAL_DB_FILE=:memory: as in-memory', () => {
    expect(loadConfig({ PORT: '', TEMPORAL_ADDRESS: '' }).http.port).toBe(3000);
    expect(loadConfig({ TEMPORAL_DB_FILE: ':memory:' }).temporal.devServer.dbFile).toBeNull();
    expect(loadConfig({ TEMPORAL_DB_FILE: '/x/t.db' }).temporal.devServer.dbFile).toBe('/x/t.db');
  });

  it('names the key and the env var of a bad value', () => {
    const err = expectConfigError(
      () => loadConfig({ TEMPORAL_DEV_PORT: 'abc' }),
      'temporal.devServer.port (from TEMPORAL_DEV_PORT): must be an integer 1-65535, got "abc"',
    );
    expect(err).toMatchObject({ key: 'temporal.devServer.port', source: 'TEMPORAL_DEV_PORT' });
    expectConfigError(() => loadConfig({ PORT: '70000' }), 'http.port (from PORT): must be an integer 1-65535, got 70000');
    expectConfigError(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /^database\.url \(from DATABASE_URL\): must be a postgres:\/\/ URL/);
    expectConfigError(() => loadConfig({ TEMPORAL_ADDRESS: 'nohost' }), /^temporal\.address \(from TEMPORAL_ADDRESS\)/);
    expectConfigError(() => loadConfig({ SMTP_URL: 'http://relay:25' }), 'mail.smtpUrl (from SMTP_URL): must be an smtp:// or smtps:// URL or null, got "http://relay:25"');
    expectConfigError(() => loadConfig({ CAUCE_SMTP_SINK_PORT: '0' }), 'mail.sinkPort (from CAUCE_SMTP_SINK_PORT): must be an integer 1-65535, got 0');
  });

  it('mail: the embedded sink by default, a relay and sender from SMTP_URL and MAIL_FROM', () => {
    expect(loadConfig({}).mail).toEqual({ smtpUrl: null, from: 'Cauce <no-reply@cauce.example>', sinkPort: 2525 });
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@smtp.example.cl:465', MAIL_FROM: 'Ventas <ventas@example.cl>', CAUCE_SMTP_SINK_PORT: '2600' }).mail).toEqual({
      smtpUrl: 'smtps://u:p@smtp.example.cl:465',
      from: 'Ventas <ventas@example.cl>',
      sinkPort: 2600,
    });
  });

  it('names the key and the file of a bad value in the YAML', () => {
    const base = loadConfig({});
    const file = tempConfig(
      JSON.stringify({ ...base, temporal: { ...base.temporal, searchAttributes: { CauceStage: 'Keywrd' } } }),
    );
    expectConfigError(
      () => loadConfig({}, file),
      `temporal.searchAttributes.CauceStage (from ${file}): must be one of Text, Keyword, Int, Double, Bool, Datetime, KeywordList, got "Keywrd"`,
    );
    const typo = tempConfig(JSON.stringify({ ...base, http: { ...base.http, prot: 1 } }));
    expectConfigError(() => loadConfig({}, typo), `http.prot (from ${typo}): unknown key`);
    expectConfigError(() => loadConfig({}, tempConfig('temporal: [')), /invalid YAML/);
  });
});
