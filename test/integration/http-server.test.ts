/**
 * The HTTP server as `npm start` builds it (api/http-server.ts) with the real app: slow clients are
 * cut off by server-side timeouts, tested with real sockets that stall; every answer carries the
 * security headers, API answers `Cache-Control: no-store`, and the web app's own files are allowed by the CSP.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { createHttpServer } from '../../api/http-server';
import { createApp } from '../../api/app';
import { loadConfig, type CauceConfig } from '../../lib/config';
import { ROOT } from '../../scripts/ensure-tools';
import { requestJson, startApiStack, type ApiStack } from '../support/api';

const HEADERS_MS = 400;
const REQUEST_MS = 800;

let stack: ApiStack;
let token: string;

beforeAll(async () => {
  const withShortTimeouts = (c: CauceConfig): CauceConfig => ({
    ...c,
    http: { ...c.http, timeouts: { ...c.http.timeouts, headersMs: HEADERS_MS, requestMs: REQUEST_MS, keepAliveMs: 1_000, idleSocketMs: 10_000 } },
  });
  stack = await startApiStack('http-server', { worker: false, definitions: false, config: withShortTimeouts });
  await stack.addUser('ana', ['sales']);
  token = await stack.login('ana');
});
afterAll(async () => {
  await stack?.close();
});

interface Outcome {
  /** What the server wrote before closing (a status line, or nothing). */
  received: string;
  closedAfterMs: number;
}

/** Opens a socket, writes `chunks` and then stalls; resolves when the server closes it (rejects after `giveUpMs`). */
function stall(chunks: string[], giveUpMs = 10_000): Promise<Outcome> {
  const { port } = new URL(stack.baseUrl);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let received = '';
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept a stalled connection open for ${giveUpMs} ms; received: ${JSON.stringify(received)}`));
    }, giveUpMs);
    socket.on('data', (data) => (received += data.toString('latin1')));
    socket.on('error', () => undefined); // a reset is a close too
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve({ received, closedAfterMs: performance.now() - started });
    });
  });
}

describe('server-side timeouts', () => {
  test('headers that never finish: 408, and the connection is closed', async () => {
    const outcome = await stall(['GET /healthz HTTP/1.1\r\nHost: cauce\r\n']);
    expect(outcome.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(outcome.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_MS * 0.9);
  });

  test('a body that trickles in and stops: 408, and the connection is closed', async () => {
    const body = '{"username":"ana","password":"ana-password"}';
    const head = `POST /api/auth/login HTTP/1.1\r\nHost: cauce\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const outcome = await stall([head, body.slice(0, 10)]);
    expect(outcome.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(outcome.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_MS * 0.9);
    // The server is fine for everyone else.
    expect((await stack.request('GET', '/healthz')).status).toBe(200);
  });

  test('the configured defaults are applied to the server npm start builds, well under Node’s 300 s', () => {
    const config = loadConfig({});
    const server = createHttpServer(createApp({ db: stack.db, temporal: stack.temporal, config }), config.http.timeouts);
    expect(server).toBeInstanceOf(http.Server);
    expect(server.requestTimeout).toBe(config.http.timeouts.requestMs);
    expect(server.headersTimeout).toBe(config.http.timeouts.headersMs);
    expect(server.keepAliveTimeout).toBe(config.http.timeouts.keepAliveMs);
    expect(server.timeout).toBe(config.http.timeouts.idleSocketMs);
    expect(server.requestTimeout).toBeLessThanOrEqual(60_000);
    expect(server.headersTimeout).toBeLessThanOrEqual(server.requestTimeout);
  });
});

describe('headers', () => {
  test('every answer has the security headers, with a CSP that allows only this origin', async () => {
    for (const res of [await stack.request('GET', '/healthz'), await stack.request('GET', '/api/auth/me', token), await stack.request('GET', '/api/nope')]) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  test('authenticated API answers (and the login, which carries the token) are never stored by a cache', async () => {
    const me = await stack.request('GET', '/api/auth/me', token);
    expect(me.status).toBe(200);
    expect(me.headers.get('cache-control')).toBe('no-store');
    const denied = await stack.request('GET', '/api/definitions');
    expect(denied.status).toBe(401);
    expect(denied.headers.get('cache-control')).toBe('no-store');
    const login = await requestJson(stack.baseUrl, 'POST', '/api/auth/login', undefined, { username: 'ana', password: 'ana-password' });
    expect(login.status).toBe(200);
    expect(login.headers.get('cache-control')).toBe('no-store');
  });

  test('the built web app loads nothing the CSP refuses: no inline scripts, only same-origin files', () => {
    // The browser tests (test/e2e) run the app under the policy; this catches an inline script early.
    const html = readFileSync(path.join(ROOT, 'ui', 'dist', 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, content] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\//);
      expect(content.trim()).toBe('');
    }
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});
