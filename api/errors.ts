/**
 * Every error the API answers with has the shape `{ error: { code, message, details } }`.
 * Services throw `HttpError`s (or the helpers below); `errorHandler` turns anything into that shape
 * and never answers 500 for a client's mistake.
 */
import type { ErrorRequestHandler } from 'express';
import type { ErrorObject } from 'ajv';
import { FORMAT_DESCRIPTIONS, type DomainFormat } from '../workflows/formats';
import { logger } from './logger';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
    /** Sent as `Retry-After` (429s and 503s; a 503 without one says 5 s). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown) => new HttpError(400, code, message, details);
export const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message);
export const forbidden = (message: string, details?: unknown, code = 'forbidden') => new HttpError(403, code, message, details);
export const notFound = (message: string, details?: unknown, code = 'not_found') => new HttpError(404, code, message, details);
export const conflict = (code: string, message: string, details?: unknown) => new HttpError(409, code, message, details);
export const unprocessable = (code: string, message: string, details?: unknown) => new HttpError(422, code, message, details);

/** One validation problem: where (`in` + JSON pointer `path`) and what. */
export interface ValidationProblem {
  in: 'body' | 'query' | 'params' | 'headers' | 'variables';
  path: string;
  message: string;
  keyword?: string;
}

/** A problem with one field, named by its dotted path (`company.rut`). */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Field problems as validation problems: `company.rut` → the JSON pointer `/company/rut`. */
export function fieldProblems(where: ValidationProblem['in'], problems: FieldProblem[]): ValidationProblem[] {
  return problems.map((p) => ({ in: where, path: `/${p.field.replace(/\./g, '/')}`, message: p.message }));
}

/**
 * 422 `code` whose details point at each offending field, the way request validation reports problems.
 * The message defaults to `field: message` of each problem.
 */
export function invalidFields(
  code: string,
  where: ValidationProblem['in'],
  problems: FieldProblem[],
  message = problems.map((p) => `${p.field}: ${p.message}`).join('; '),
): HttpError {
  return unprocessable(code, message, fieldProblems(where, problems));
}

/** ajv errors → problems whose `path` points at the offending property (a missing one included). */
export function problemsFromAjv(where: ValidationProblem['in'], errors: ErrorObject[] | null | undefined): ValidationProblem[] {
  return (errors ?? []).map((e) => {
    let path = e.instancePath;
    if (e.keyword === 'required') path += `/${(e.params as { missingProperty: string }).missingProperty}`;
    if (e.keyword === 'additionalProperties') path += `/${(e.params as { additionalProperty: string }).additionalProperty}`;
    const message =
      e.keyword === 'required'
        ? 'is required'
        : e.keyword === 'additionalProperties'
          ? 'is not allowed'
          : e.keyword === 'enum'
            ? `${e.message}: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`
            : e.keyword === 'format' && Object.hasOwn(FORMAT_DESCRIPTIONS, (e.params as { format: string }).format)
              ? `must be ${FORMAT_DESCRIPTIONS[(e.params as { format: DomainFormat }).format]}`
              : (e.message ?? 'is invalid');
    return { in: where, path: path || '/', message, keyword: e.keyword };
  });
}

function isBodyParserError(err: unknown): err is { type: string; status: number; message: string } {
  return typeof err === 'object' && err !== null && typeof (err as { type?: unknown }).type === 'string' && typeof (err as { status?: unknown }).status === 'number';
}

const DATA_EXCEPTION: Record<string, string> = {
  '22P02': 'A value in the request has the wrong form (e.g. an id that is not a uuid)',
  '22001': 'A value in the request is too long',
  '22021': 'A value in the request has a character that cannot be stored (e.g. a NUL byte)',
};

/**
 * Postgres' data exceptions (class 22: a value that is not a uuid, a NUL byte in text, a string too long
 * for its column…): the value came from the request, so they are the client's mistake.
 */
function isDataException(err: unknown): err is { code: string } {
  const e = err as { code?: unknown; severity?: unknown } | null;
  return typeof e === 'object' && e !== null && typeof e.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code) && typeof e.severity === 'string';
}

/** Error codes of a database that cannot be reached or is going away (class 08, 57P0x, too many connections). */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[1-4]|53300)$/;
const UNREACHABLE_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/**
 * Postgres cannot be reached: refused or dropped connections, an exhausted or timed-out pool (knex),
 * a server shutting down. The API talks to no other server by socket outside the Temporal client,
 * whose failures services map themselves (temporal-errors.ts), so a socket error here is the database's.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown; message?: unknown; errors?: unknown } | null;
  if (typeof e !== 'object' || e === null) return false;
  if (e.name === 'KnexTimeoutError') return true;
  if (typeof e.code === 'string' && (UNAVAILABLE_SQLSTATE.test(e.code) || UNREACHABLE_SOCKET.has(e.code))) return true;
  if (typeof e.message === 'string' && /^Connection terminated|^Client has encountered a connection error/.test(e.message)) return true;
  // net.connect to a host with several addresses (localhost: ::1 and 127.0.0.1) fails with all of them.
  return Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every(isDatabaseUnavailable);
}

const DEFAULT_RETRY_AFTER_S = 5;

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let error: HttpError;
  if (err instanceof HttpError) {
    error = err;
  } else if (err instanceof URIError || (err as { status?: unknown; message?: unknown })?.message === 'Failed to decode param') {
    // Express decodes path parameters itself and throws on a malformed %-sequence.
    error = badRequest('malformed_path', `The request path has invalid percent-encoding: ${req.path}`);
  } else if (isDatabaseUnavailable(err)) {
    (req.log ?? logger).error({ err }, 'database unavailable');
    error = new HttpError(503, 'database_unavailable', 'The database is unavailable; retry shortly', null, DEFAULT_RETRY_AFTER_S);
  } else if (isBodyParserError(err) && err.status >= 400 && err.status < 500) {
    // express.json / express.text: malformed JSON, too large, bad charset…
    const code = err.type === 'entity.parse.failed' ? 'malformed_json' : err.type.replace(/[.]/g, '_');
    error = new HttpError(err.status, code, err.type === 'entity.parse.failed' ? `Malformed JSON body: ${err.message}` : err.message);
  } else if (isDataException(err)) {
    (req.log ?? logger).warn({ err }, 'a value the database refused');
    // Not the driver's message: knex prefixes it with the SQL.
    error = badRequest('invalid_value', DATA_EXCEPTION[err.code] ?? 'A value in the request is malformed or out of range');
  } else {
    (req.log ?? logger).error({ err }, 'unhandled error');
    error = new HttpError(500, 'internal', 'Internal server error');
  }
  if (error.status >= 500 && err instanceof HttpError) (req.log ?? logger).error({ err }, error.message);
  if (res.headersSent) return;
  const retryAfter = error.retryAfterSeconds ?? (error.status === 503 ? DEFAULT_RETRY_AFTER_S : undefined);
  if (retryAfter !== undefined) res.setHeader('retry-after', String(retryAfter));
  res.status(error.status).json({ error: { code: error.code, message: error.message, details: error.details ?? null } });
};
