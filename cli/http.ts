/** The CLI's HTTP client: base URL, stored token, and API errors turned into readable messages. */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const DEFAULT_API = 'http://127.0.0.1:3000';

export function tokenFile(): string {
  const base = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'cauce', 'token');
}

function readToken(): string | null {
  if (process.env.CAUCE_TOKEN) return process.env.CAUCE_TOKEN;
  try {
    return readFileSync(tokenFile(), 'utf8').trim() || null;
  } catch {
    return null;
  }
}

export function saveToken(token: string): string {
  const file = tokenFile();
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, token + '\n', { mode: 0o600 });
  return file;
}

export function forgetToken(): void {
  rmSync(tokenFile(), { force: true });
}

/** `?a=1&b=x` from the params that have a value (undefined, null and '' are left out); '' when none has. */
export function query(params: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  body?: unknown;
  /** Raw text body (e.g. YAML) with its content type. */
  text?: { content: string; type: string };
  headers?: Record<string, string>;
  auth?: boolean;
}

export function createHttp(baseUrl: string) {
  const base = baseUrl.replace(/\/+$/, '');
  return async function request<T = any>(method: string, url: string, opts: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...(opts.headers ?? {}) };
    if (opts.auth !== false) {
      const token = readToken();
      if (!token) throw new ApiError(401, 'unauthorized', 'Not signed in: run `cauce login -u <user> -p <password>` or set CAUCE_TOKEN', null);
      headers.authorization = `Bearer ${token}`;
    }
    let body: string | undefined;
    if (opts.text) {
      body = opts.text.content;
      headers['content-type'] = opts.text.type;
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    let res: Response;
    try {
      res = await fetch(base + url, { method, headers, body });
    } catch (err) {
      throw new ApiError(0, 'unreachable', `Cannot reach the API at ${base} (${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}); start it or pass --api`, null);
    }
    const text = await res.text();
    let parsed: any;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    if (!res.ok) {
      const e = parsed?.error;
      throw new ApiError(res.status, e?.code ?? String(res.status), e?.message ?? `HTTP ${res.status}`, e?.details ?? null);
    }
    return parsed as T;
  };
}

export type Http = ReturnType<typeof createHttp>;
