/**
 * Every error the API answers with has the shape `{ error: { code, message, details } }`.
 * Services throw `HttpError`s (or the helpers below); `errorHandler` turns anything into that shape
 * and never answers 500 for a client's mistake.
 */
import type { ErrorRequestHandler } from 'express';
import type { ErrorObject } from 'ajv';
import { logger } from './logger';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
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
            : (e.message ?? 'is invalid');
    return { in: where, path: path || '/', message, keyword: e.keyword };
  });
}

function isBodyParserError(err: unknown): err is { type: string; status: number; message: string } {
  return typeof err === 'object' && err !== null && typeof (err as { type?: unknown }).type === 'string' && typeof (err as { status?: unknown }).status === 'number';
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let error: HttpError;
  if (err instanceof HttpError) {
    error = err;
  } else if (isBodyParserError(err) && err.status >= 400 && err.status < 500) {
    // express.json / express.text: malformed JSON, too large, bad charset…
    const code = err.type === 'entity.parse.failed' ? 'malformed_json' : err.type.replace(/[.]/g, '_');
    error = new HttpError(err.status, code, err.type === 'entity.parse.failed' ? `Malformed JSON body: ${err.message}` : err.message);
  } else {
    (req.log ?? logger).error({ err }, 'unhandled error');
    error = new HttpError(500, 'internal', 'Internal server error');
  }
  if (error.status >= 500 && err instanceof HttpError) (req.log ?? logger).error({ err }, error.message);
  if (res.headersSent) return;
  res.status(error.status).json({ error: { code: error.code, message: error.message, details: error.details ?? null } });
};
