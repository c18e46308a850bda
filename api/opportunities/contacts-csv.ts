/**
 * The CRM contact CSV (seed 000, HubSpot channel: bulk loads, partners, campaigns, referrals): read as a
 * stream, row by row with the line of each, and the per-row checks. No I/O here; the upload
 * (import-upload.ts) stores the rows and the import job works them.
 */
import { Readable, Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type * as CsvStream from 'csv-parse/dist/cjs/index.cjs';
import { unprocessable } from '../errors';
import { checkLead, type LeadInput } from './store';

// tsconfig resolves modules the node10 way, which ignores package `exports`: the types are named by
// file, the code is loaded through the export Node resolves at run time.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse } = require('csv-parse') as typeof CsvStream;

export const CSV_COLUMNS = ['email', 'name', 'phone', 'rut', 'company', 'company_rut', 'channel', 'source', 'campaign', 'partner', 'owner_email'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
const REQUIRED_COLUMNS: CsvColumn[] = ['email', 'name'];

/** How the contact reached the CRM; stored as the opportunity's `source_detail`. */
const SOURCES = ['bulk', 'partner', 'campaign', 'referral'] as const;
const DEFAULT_CHANNEL = 'hubspot';
const DEFAULT_SOURCE = 'bulk';

export interface CsvRow {
  /** The CSV line the row starts on; the header is line 1. */
  line: number;
  values: Partial<Record<CsvColumn, string>>;
  /** Set when the row has a different number of fields than the header. */
  shape?: string;
}

export interface OwnerRef {
  id: string;
  active: boolean;
}

/** A row is either a lead to bring in or the reasons it cannot be. */
export type CheckedRow =
  | { line: number; lead: Omit<LeadInput, 'actor' | 'importId'>; reasons?: undefined }
  | { line: number; lead?: undefined; reasons: string[] };

const problem = (line: number, message: string) => ({ in: 'body', path: `line ${line}`, message });

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
function headerProblems(header: string[]): string[] {
  const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  const repeated = header.filter((h, i) => header.indexOf(h) !== i);
  return [
    ...unknown.map((h) => `unknown column ${JSON.stringify(h)} (columns: ${CSV_COLUMNS.join(', ')})`),
    ...missing.map((c) => `missing required column ${JSON.stringify(c)}`),
    ...repeated.map((h) => `column ${JSON.stringify(h)} appears twice`),
  ];
}

/**
 * The rows of a CSV body, with their line numbers, read as they arrive (the parser holds one chunk,
 * never the file). The file as a whole is refused (422) only when no row can be read: broken quoting,
 * a header without `email` and `name` or with unknown columns, or no rows at all. Broken quoting can
 * be found after rows were yielded, so a caller stores them in a transaction it can roll back.
 */
export async function* readContactsCsv(body: Readable | Iterable<string | Buffer>): AsyncGenerator<CsvRow> {
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
        const problems = headerProblems(header);
        if (problems.length) throw unprocessable('invalid_csv_header', `line 1: ${problems.join('; ')}`, problems.map((m) => problem(1, m)));
        continue;
      }
      rows++;
      // info.lines is where the record ends; a quoted field may span lines.
      const line = info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
      const values: CsvRow['values'] = {};
      header.forEach((column, i) => {
        if (record[i] !== undefined && record[i] !== '') values[column as CsvColumn] = record[i];
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
  if (!header) throw unprocessable('empty_csv', 'The CSV is empty: send a header row and at least one contact', [problem(1, 'no header')]);
  if (rows === 0) throw unprocessable('empty_csv', 'The CSV has a header but no contacts', [problem(1, 'no rows after the header')]);
}

/** LeadInput fields → the CSV column a person would fix. */
const COLUMN_OF: Record<string, CsvColumn> = { 'company.name': 'company', 'company.rut': 'company_rut', ownerId: 'owner_email' };

/**
 * The checker of one file's rows, in file order: every reason a row cannot be imported, in the words of
 * checkLead (the same rules as the API) plus what only a file can get wrong: a known source and owner,
 * and an email already used by an earlier row (remembered per email, not per row).
 */
export function rowChecker(owners: Map<string, OwnerRef>): (row: CsvRow) => CheckedRow {
  const firstLineOf = new Map<string, number>();
  return ({ line, values: v, shape }) => {
    const reasons: string[] = shape ? [shape] : [];
    const channel = v.channel?.toLowerCase() ?? DEFAULT_CHANNEL;
    const source = v.source?.toLowerCase() ?? DEFAULT_SOURCE;
    if (!(SOURCES as readonly string[]).includes(source)) reasons.push(`source: must be one of ${SOURCES.join(', ')} (got ${JSON.stringify(v.source)})`);
    if ((source === 'partner' || channel === 'partner') && !v.partner) reasons.push('partner: is required for a partner lead');
    if (source === 'campaign' && !v.campaign) reasons.push('campaign: is required when source is campaign');
    if (v.company_rut && !v.company) reasons.push('company: is required when company_rut is given');

    let ownerId: string | undefined;
    if (v.owner_email) {
      const owner = owners.get(v.owner_email.toLowerCase());
      if (!owner) reasons.push(`owner_email: no owner with email ${JSON.stringify(v.owner_email)}`);
      else if (!owner.active) reasons.push(`owner_email: owner ${v.owner_email} is inactive`);
      else ownerId = owner.id;
    }

    const email = v.email?.toLowerCase();
    if (email) {
      const first = firstLineOf.get(email);
      if (first !== undefined) reasons.push(`email: ${email} already appears on line ${first}`);
      else firstLineOf.set(email, line);
    }

    const lead = {
      email: v.email ?? '',
      name: v.name ?? '',
      phone: v.phone ?? null,
      rut: v.rut ?? null,
      company: v.company ? { name: v.company, rut: v.company_rut ?? null } : null,
      channel,
      sourceDetail: source,
      campaign: v.campaign ?? null,
      partner: v.partner ?? null,
      ownerId: ownerId ?? null,
    };
    const { problems } = checkLead({ ...lead, actor: 'csv' });
    for (const p of problems) {
      const column = COLUMN_OF[p.field];
      reasons.push(column ? p.message.replace(`${p.field}:`, `${column}:`) : p.message);
    }
    return reasons.length ? { line, reasons } : { line, lead };
  };
}
