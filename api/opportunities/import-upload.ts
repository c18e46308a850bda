/**
 * Receiving a CRM contact CSV: the request body is read as it arrives, each row checked and stored
 * `pending` in batches, so neither the file nor its rows are ever held whole in memory and the event
 * loop is never held for more than a chunk. Everything is written in one transaction: a file refused
 * halfway (broken quoting on its last line, too large) leaves nothing behind.
 */
import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import type { Knex } from 'knex';
import { HttpError } from '../errors';
import { readContactsCsv, rowChecker } from './contacts-csv';
import type { ImportRow, ImportStore } from '../../lib/imports';
import { ownerStore } from '../../lib/opportunities';

/**
 * The largest CSV an import accepts: 10 MiB, about 100,000 contacts. Beyond it the upload is refused
 * with 413 (at once when Content-Length says so, else when the limit is crossed). Also the one number
 * the README documents.
 */
export const MAX_CSV_BYTES = 10 * 1024 * 1024;

/** Rows per insert: large enough to be quick, small enough to keep each statement short. */
const INSERT_BATCH = 1_000;

/** Rows checked between two turns of the event loop. */
const YIELD_EVERY = 100;

const tooLarge = () =>
  new HttpError(413, 'entity_too_large', `The CSV is larger than ${MAX_CSV_BYTES} bytes (${MAX_CSV_BYTES / 1024 / 1024} MiB), the most an import accepts; split it into smaller files`, {
    limit: MAX_CSV_BYTES,
  });

/** Passes the bytes through, hashing and counting them; fails with 413 past the limit. */
function meter(hash: ReturnType<typeof createHash>): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > MAX_CSV_BYTES) return done(tooLarge());
      hash.update(chunk);
      done(null, chunk);
    },
  });
}

/** Stores the upload's rows and returns its import row (status `running`, total known). */
export async function receiveContactsCsv(
  db: Knex,
  imports: ImportStore,
  body: Readable,
  declaredLength: number | undefined,
  i: { filename: string; createdBy: string },
): Promise<ImportRow> {
  if (declaredLength !== undefined && declaredLength > MAX_CSV_BYTES) throw tooLarge();
  const check = rowChecker(await ownerStore.byEmail(db));
  const hash = createHash('sha256');
  const metered = body.pipe(meter(hash));
  body.once('error', (err) => metered.destroy(err));

  try {
    return await storeRows(db, imports, metered, hash, check, i);
  } catch (err) {
    // The rest of a refused body is read and dropped, so the client gets to read the answer.
    body.unpipe(metered);
    body.resume();
    throw err;
  }
}

async function storeRows(
  db: Knex,
  imports: ImportStore,
  metered: Readable,
  hash: ReturnType<typeof createHash>,
  check: ReturnType<typeof rowChecker>,
  i: { filename: string; createdBy: string },
): Promise<ImportRow> {
  return db.transaction(async (trx) => {
    const record = await imports.create(trx, i);
    let batch: Array<{ line: number; input: unknown }> = [];
    let total = 0;
    for await (const row of readContactsCsv(metered)) {
      const { line, ...input } = check(row);
      batch.push({ line, input });
      total++;
      // Rows already parsed come without a pause: give the event loop a turn every few of them.
      if (total % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      if (batch.length === INSERT_BATCH) {
        await imports.addPending(trx, record.id, batch);
        batch = [];
      }
    }
    await imports.addPending(trx, record.id, batch);
    return imports.setReceived(trx, record.id, { totalRows: total, sha256: hash.digest('hex') });
  });
}
