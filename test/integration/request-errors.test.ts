/**
 * Client input that used to reach a 500 (or be accepted and altered) gets a 400/422 naming the problem
 * and where it is, through the real app: deep JSON, bad percent-encoding, numbers out of range, lone
 * surrogates, YAML alias bombs. And a database that cannot be reached is a 503 with Retry-After.
 */
import { createDb } from '../../lib/db';
import { freePort } from '../../scripts/servers/process';
import { expectError, requestJson, serveApp, startApiStack, type ApiStack } from '../support/api';

let stack: ApiStack;
let adminToken: string;

beforeAll(async () => {
  stack = await startApiStack('request-errors', { worker: false, definitions: false });
  await stack.addUser('root', ['admin']);
  adminToken = await stack.login('root');
});
afterAll(async () => {
  await stack?.close();
});

const startRaw = (raw: string) => stack.request('POST', '/api/processes', adminToken, undefined, { raw });

describe('JSON bodies', () => {
  test('nested 2,500 levels deep: 400 naming where, not a stack overflow', async () => {
    const depth = 2_500;
    const raw = `{"definitionId":"invoice-customer","businessKey":"deep","variables":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    const res = await startRaw(raw);
    expectError(res, 400, 'invalid_value');
    expect(res.body.error.details).toEqual([{ in: 'body', path: expect.stringMatching(/^\/variables(\/a)+$/), message: expect.stringContaining('nested more than') }]);
    // Arrays too, and deeper still.
    expectError(await startRaw('['.repeat(20_000) + ']'.repeat(20_000)), 400);
  });

  test('1e400 (Infinity once parsed): 400 naming the field', async () => {
    const res = await startRaw('{"definitionId":"invoice-customer","businessKey":"inf","variables":{"order":{"amount":1e400}}}');
    expectError(res, 400, 'invalid_value');
    expect(res.body.error.details).toEqual([{ in: 'body', path: '/variables/order/amount', message: expect.stringContaining('finite number') }]);
    expect(res.body.error.message).toContain('/variables/order/amount');
  });

  test('a lone UTF-16 surrogate in a business key (Postgres would turn it into U+FFFD): 400 naming the field', async () => {
    for (const key of ['acme\\ud800', 'acme\\udfff', 'acme\\udc00\\ud800']) {
      const res = await startRaw(`{"definitionId":"invoice-customer","businessKey":"${key}","variables":{}}`);
      expectError(res, 400, 'invalid_value');
      expect(res.body.error.details).toEqual([{ in: 'body', path: '/businessKey', message: expect.stringContaining('unpaired UTF-16 surrogate') }]);
    }
    // In a property name too.
    const named = await startRaw('{"definitionId":"invoice-customer","businessKey":"k","variables":{"n\\ud83dame":1}}');
    expectError(named, 400, 'invalid_value');
    expect(named.body.error.details[0]).toMatchObject({ path: expect.stringMatching(/^\/variables\//) });
    // A correct pair (an emoji) is text like any other: it gets past this check to the next one.
    const emoji = await startRaw('{"definitionId":"invoice-customer","businessKey":"acme-\\ud83d\\ude00","variables":{}}');
    expect(emoji.body.error.code).not.toBe('invalid_value');
  });
});

describe('paths', () => {
  test('invalid percent-encoding: 400 malformed_path', async () => {
    for (const path of ['/api/processes/%E0%A4%A', '/api/processes/%', '/api/tasks/%ZZ', '/api/processes/%ED%A0%80']) {
      expectError(await stack.request('GET', path, adminToken), 400, 'malformed_path');
    }
  });
});

describe('definitions (YAML)', () => {
  const deploy = (yaml: string) => stack.request('POST', '/api/definitions', adminToken, undefined, { raw: yaml, headers: { 'content-type': 'application/yaml' } });

  test('an alias bomb: 422 naming the aliases, where the first one is', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const previous = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const res = await deploy(`id: bomb\nname: Bomb\n${levels.join('\n')}\n`);
    expectError(res, 422, 'invalid_definition');
    expect(res.body.error.details).toEqual([expect.objectContaining({ line: 4, message: expect.stringContaining('aliases expand too much') })]);
  });

  test('.inf and a "\\ud800" escape in a definition: 422 naming each place', async () => {
    const res = await deploy('id: odd\nname: "Odd \\ud800"\nlimit: .inf\n');
    expectError(res, 422, 'invalid_definition');
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/name', line: 2, message: expect.stringContaining('surrogate') }),
        expect.objectContaining({ path: '/limit', line: 3, message: expect.stringContaining('finite number') }),
      ]),
    );
  });
});

describe('database unavailable', () => {
  test('every request needing Postgres gets 503 database_unavailable with Retry-After, and /healthz says so', async () => {
    // A port nothing listens on: the database is down.
    const down = createDb(`postgres://cauce:cauce@127.0.0.1:${await freePort()}/cauce`, { poolMax: 2 });
    const app = await serveApp({ db: down, temporal: stack.temporal, config: stack.config });
    try {
      for (const [method, path, body] of [
        ['GET', '/api/auth/me', undefined],
        ['GET', '/api/definitions', undefined],
        ['POST', '/api/auth/login', { username: 'root', password: 'root-password' }],
      ] as const) {
        const res = await requestJson(app.baseUrl, method, path, adminToken, body);
        expectError(res, 503, 'database_unavailable');
        expect(res.headers.get('retry-after')).toBe('5');
      }
      const health = await requestJson(app.baseUrl, 'GET', '/healthz');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ database: { ok: false } });
    } finally {
      await app.close();
      await down.destroy();
    }
  });
});
