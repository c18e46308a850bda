/**
 * Where the bytes of documents live, behind one small interface so that production can choose an
 * S3-compatible store in configuration (`documents.store: s3`, s3-content-store.ts) without touching the API. Content is
 * addressed by its sha256, which is only known once the last byte has arrived: a store first *stages*
 * the bytes under a key of its own, then *commits* them under their hash, or drops them when that
 * content is already stored (a repeat upload keeps nothing new).
 *
 * The Postgres store writes 256 KiB chunks inside the caller's transaction as they arrive, so memory
 * holds about one chunk per upload, and a refused upload (too large, wrong type) leaves nothing behind.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { CauceConfig } from '../config';
import { createS3ContentStore } from './s3-content-store';

export interface ContentStore {
  /** Stores the bytes as they come under a new staging key (returned), inside `trx`. */
  stage(trx: Knex.Transaction, chunks: AsyncIterable<Buffer>): Promise<string>;
  /** Makes staged content the content of `sha256`; false (staged copy dropped) when it was stored before. */
  commit(trx: Knex.Transaction, staged: string, sha256: string, size: number): Promise<boolean>;
  /** The bytes of stored content, in order, a chunk at a time. */
  read(sha256: string): AsyncIterable<Buffer>;
}

/** Bytes per stored chunk: small enough to hold one per upload, large enough for few rows. */
export const CHUNK_BYTES = 256 * 1024;

/** Regroups a stream of buffers of any sizes into CHUNK_BYTES pieces (the last one shorter). */
async function* rechunk(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    pending.push(chunk);
    length += chunk.length;
    while (length >= CHUNK_BYTES) {
      const all = Buffer.concat(pending, length);
      yield all.subarray(0, CHUNK_BYTES);
      pending = [all.subarray(CHUNK_BYTES)];
      length -= CHUNK_BYTES;
    }
  }
  if (length > 0) yield Buffer.concat(pending, length);
}

export function createPostgresContentStore(db: Knex): ContentStore {
  return {
    async stage(trx, chunks) {
      const blobId = randomUUID();
      let seq = 0;
      for await (const bytes of rechunk(chunks)) await trx('document_chunks').insert({ blob_id: blobId, seq: seq++, bytes });
      return blobId;
    },

    async commit(trx, staged, sha256, size) {
      const inserted = await trx('document_contents').insert({ sha256, blob_id: staged, size }).onConflict('sha256').ignore().returning('sha256');
      if (inserted.length) return true;
      await trx('document_chunks').where({ blob_id: staged }).delete();
      return false;
    },

    async *read(sha256) {
      const content: { blob_id: string } | undefined = await db('document_contents').where({ sha256 }).first('blob_id');
      if (!content) return;
      // One chunk per query: a download holds one chunk, whatever the file's size.
      for (let seq = 0; ; seq++) {
        const row: { bytes: Buffer } | undefined = await db('document_chunks').where({ blob_id: content.blob_id, seq }).first('bytes');
        if (!row) return;
        yield row.bytes;
      }
    },
  };
}

/** The store configuration chooses: Postgres, or an S3-compatible bucket (s3-content-store.ts). */
export function createContentStore(db: Knex, config: CauceConfig['documents']): ContentStore {
  return config.store === 's3' ? createS3ContentStore(config.s3) : createPostgresContentStore(db);
}
