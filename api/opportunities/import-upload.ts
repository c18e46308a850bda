/**
 * Receiving a CRM contact CSV: the request body is read as it arrives, each row checked and stored
 * `pending` in batches, so neither the file nor its rows are ever held whole in memory and the event
 * loop is never held for more than a chunk. Everything is written in one transaction: a file refused
 * halfway (broken quoting on its last line, too large) leaves nothing behind.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import { csvTooLarge, dropRest, MAX_CSV_BYTES, meteredCsv } from '../csv';
import { readContactsCsv, rowChecker } from './contacts-csv';
import type { ImportRow, ImportStore } from '../../lib/imports';
import { ownerStore } from '../../lib/opportunities';

/** Rows per insert: large enough to be quick, small enough to keep each statement short. */
const INSERT_BATCH = 1_000;

/** Rows checked between two turns of the event loop. */
const YIELD_EVERY = 100;

/** Stores the upload's rows and returns its import row (status `running`, total known). */
export async function receiveContactsCsv(
  db: Knex,
  imports: ImportStore,
  body: Readable,
  declaredLength: number | undefined,
  i: { filename: string; createdBy: string },
): Promise<ImportRow> {
  if (declaredLength !== undefined && declaredLength > MAX_CSV_BYTES) throw csvTooLarge();
  const check = rowChecker(await ownerStore.byEmail(db));
  const hash = createHash('sha256');
  const metered = meteredCsv(body, (chunk) => hash.update(chunk));

  try {
    return await storeRows(db, imports, metered, hash, check, i);
  } catch (err) {
    dropRest(body, metered);
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
