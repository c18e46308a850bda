/**
 * CSV bodies read as a stream, row by row with the line of each: the one reader of the files people
 * upload (CRM contacts, coverage zones). A file declares its columns; a header with an unknown,
 * missing or repeated column, broken quoting, or no rows at all refuses the whole file (422), while a
 * row's own problems are its caller's to report with its line.
 */
import { Readable, Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type * as CsvStream from 'csv-parse/dist/cjs/index.cjs';
import { HttpError, unprocessable } from './errors';
import { errorReply } from './shared-schemas';

// tsconfig resolves modules the node10 way, which ignores package `exports`: the types are named by
// file, the code is loaded through the export Node resolves at run time.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse } = require('csv-parse') as typeof CsvStream;

/** The content types a CSV upload may be sent as. */
export const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain'];

/**
 * The largest CSV an upload accepts: 10 MiB, about 100,000 contacts. Beyond it the upload is refused
 * with 413 (at once when Content-Length says so, else when the limit is crossed). Also the one number
 * the README documents.
 */
export const MAX_CSV_BYTES = 10 * 1024 * 1024;

/**
 * What a route taking a CSV upload declares: the body streams in (the service meters and parses it) as
 * one of CSV_TYPES, and the 413 it may answer.
 */
export const csvUpload = { bodyTypes: CSV_TYPES, streamBody: true } as const;
export const csvTooLargeReply = errorReply(`The file is larger than ${MAX_CSV_BYTES} bytes (\`entity_too_large\`)`);

export const csvTooLarge = () =>
  new HttpError(413, 'entity_too_large', `The CSV is larger than ${MAX_CSV_BYTES} bytes (${MAX_CSV_BYTES / 1024 / 1024} MiB), the most an upload accepts; split it into smaller files`, {
    limit: MAX_CSV_BYTES,
  });

/**
 * The request body passed through as it arrives, each chunk shown to `seen` (to hash it); fails with
 * 413 past MAX_CSV_BYTES. A failing body fails the stream.
 */
export function meteredCsv(body: Readable, seen: (chunk: Buffer) => void = () => undefined): Transform {
  let bytes = 0;
  const metered = body.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > MAX_CSV_BYTES) return done(csvTooLarge());
        seen(chunk);
        done(null, chunk);
      },
    }),
  );
  body.once('error', (err) => metered.destroy(err));
  return metered;
}

/** The body's size as its Content-Length declares it, when it does. */
export function declaredLength(req: { get(name: string): string | undefined }): number | undefined {
  const length = req.get('content-length');
  return length === undefined ? undefined : Number(length);
}

/** After a refusal: the rest of the body is read and dropped, so the client gets to read the answer. */
export function dropRest(body: Readable, metered: Transform): void {
  body.unpipe(metered);
  body.resume();
}

/** What a file is made of: its columns, those it must have, and what its rows are (for messages). */
export interface CsvSpec<C extends string> {
  columns: readonly C[];
  required: readonly C[];
  /** Plural, as a person says it: `contacts`, `coverage zones`. */
  rows: string;
}

export interface CsvRow<C extends string = string> {
  /** The CSV line the row starts on; the header is line 1. */
  line: number;
  values: Partial<Record<C, string>>;
  /** Set when the row has a different number of fields than the header. */
  shape?: string;
}

export const problem = (line: number, message: string) => ({ in: 'body', path: `line ${line}`, message });

/**
 * Bytes to text with CRLF and lone CR as LF, carrying a CR (or a split UTF-8 character) across chunk
 * boundaries: csv-parse counts a CRLF inside a quoted field as two lines.
 */
function normalisedText(): Transform {
  const decoder = new StringDecoder('utf8');
  let pendingCr = false;
  const normalise = (text: string, final: boolean): string => {
    let t = (pendingCr ? '\r' : '') + text;
    pendingCr = !final && t.endsWith('\r');
    if (pendingCr) t = t.slice(0, -1);
    return t.replace(/\r\n?/g, '\n');
  };
  return new Transform({
    decodeStrings: true,
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, done) {
      pushInSlices(this, normalise(decoder.write(chunk), false), done);
    },
    flush(done) {
      pushInSlices(this, normalise(decoder.end(), true), done);
    },
  });
}

/** Characters the parser gets at once: it parses what it is given in one go, and that must stay short. */
const SLICE = 8 * 1024;

/**
 * Pushes `text` a slice at a time, each in a turn of the event loop of its own (setImmediate), so a large
 * network chunk is parsed in a few milliseconds' steps and other requests are answered in between.
 */
function pushInSlices(stream: Transform, text: string, done: () => void): void {
  let at = 0;
  const next = () => {
    if (at >= text.length) return done();
    let end = Math.min(at + SLICE, text.length);
    // Never split a surrogate pair: the parser encodes each string on its own.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end++;
    stream.push(text.slice(at, end));
    at = end;
    setImmediate(next);
  };
  next();
}

/** The header's problems, each worded for a person fixing the file. */
function headerProblems(header: string[], spec: CsvSpec<string>): string[] {
  const unknown = header.filter((h) => !spec.columns.includes(h));
  const missing = spec.required.filter((c) => !header.includes(c));
  const repeated = header.filter((h, i) => header.indexOf(h) !== i);
  return [
    ...unknown.map((h) => `unknown column ${JSON.stringify(h)} (columns: ${spec.columns.join(', ')})`),
    ...missing.map((c) => `missing required column ${JSON.stringify(c)}`),
    ...repeated.map((h) => `column ${JSON.stringify(h)} appears twice`),
  ];
}

/**
 * The rows of a CSV body, with their line numbers, read as they arrive (the parser holds one chunk,
 * never the file). The file as a whole is refused (422) only when no row can be read: broken quoting,
 * a header without the required columns or with unknown ones, or no rows at all. Broken quoting can
 * be found after rows were yielded, so a caller stores them in a transaction it can roll back.
 */
export async function* readCsv<C extends string>(body: Readable | Iterable<string | Buffer>, spec: CsvSpec<C>): AsyncGenerator<CsvRow<C>> {
  const source = body instanceof Readable ? body : Readable.from(body);
  // With `info`, each record comes as { record, info } (the typings only know plain arrays).
  const parser = source.pipe(normalisedText()).pipe(parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: true, trim: true }));
  // A failing source (the request aborted, too large) fails the parse with its own error.
  source.once('error', (err) => parser.destroy(err));
  let header: string[] | undefined;
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        header = record.map((h) => h.toLowerCase());
        const problems = headerProblems(header, spec);
        if (problems.length) throw unprocessable('invalid_csv_header', `line 1: ${problems.join('; ')}`, problems.map((m) => problem(1, m)));
        continue;
      }
      rows++;
      // info.lines is where the record ends; a quoted field may span lines.
      const line = info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
      const values: CsvRow<C>['values'] = {};
      header.forEach((column, i) => {
        if (record[i] !== undefined && record[i] !== '') values[column as C] = record[i];
      });
      const shape = record.length === header.length ? undefined : `row has ${record.length} field(s); the header has ${header.length}`;
      yield { line, values, ...(shape ? { shape } : {}) };
    }
  } catch (err) {
    const e = err as Error & { code?: string; lines?: number };
    // csv-parse's own errors carry a CSV_ code; anything else (our 422, the request's) passes through.
    if (!e.code?.startsWith('CSV_')) throw err;
    throw unprocessable('malformed_csv', `The CSV cannot be read: ${e.message}`, [problem(e.lines ?? 0, e.message)]);
  } finally {
    parser.destroy();
  }
  if (!header) throw unprocessable('empty_csv', `The CSV is empty: send a header row and at least one row of ${spec.rows}`, [problem(1, 'no header')]);
  if (rows === 0) throw unprocessable('empty_csv', `The CSV has a header but no ${spec.rows}`, [problem(1, 'no rows after the header')]);
}


/** Bad rows named in one answer: enough to fix a file in one go, never an answer the size of the file. */
const MAX_REPORTED_ROWS = 200;

/**
 * Every row of an all-or-nothing CSV (coverage, bank statements), parsed by `parse`: the rows with
 * their lines when all of them pass; else 422 `code` naming each bad line with its reasons (the first
 * MAX_REPORTED_ROWS bad lines). `keyOf` names what must not repeat within the file (the reason says
 * on which line it came first).
 */
export async function allRowsOrNone<C extends string, R>(
  body: Readable,
  spec: CsvSpec<C>,
  parse: (values: Partial<Record<C, string>>) => { row: R } | { reasons: string[] },
  options: { code: string; keyOf?: (row: R) => { key: string; says: string } },
): Promise<Array<R & { line: number }>> {
  const rows: Array<R & { line: number }> = [];
  const problems: ReturnType<typeof problem>[] = [];
  const firstLine = new Map<string, number>();
  let bad = 0;
  for await (const { line, values, shape } of readCsv(body, spec)) {
    const parsed = parse(values);
    const reasons = [...(shape ? [shape] : []), ...('reasons' in parsed ? parsed.reasons : [])];
    if ('row' in parsed && options.keyOf) {
      const { key, says } = options.keyOf(parsed.row);
      const first = firstLine.get(key);
      if (first !== undefined) reasons.push(`${says} already appears on line ${first}`);
      else firstLine.set(key, line);
    }
    if ('row' in parsed && !reasons.length) rows.push({ ...parsed.row, line });
    if (reasons.length && ++bad <= MAX_REPORTED_ROWS) problems.push(...reasons.map((r) => problem(line, r)));
  }
  if (bad) {
    const more = bad > MAX_REPORTED_ROWS ? ` (the first ${MAX_REPORTED_ROWS} are listed)` : '';
    throw unprocessable(options.code, `${bad} row(s) of the ${spec.rows} CSV cannot be loaded${more}; nothing was loaded`, problems);
  }
  return rows;
}

/**
 * Reads an upload with `read` (the metered body): a refusal drops the rest of the body, so the client
 * gets to read the answer. 413 at once when Content-Length is over the limit.
 */
export async function receiveCsv<T>(body: Readable, declared: number | undefined, read: (metered: Readable) => Promise<T>): Promise<T> {
  if (declared !== undefined && declared > MAX_CSV_BYTES) throw csvTooLarge();
  const metered = meteredCsv(body);
  try {
    return await read(metered);
  } catch (err) {
    dropRest(body, metered);
    throw err;
  }
}
