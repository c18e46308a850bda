/**
 * The content store on an S3-compatible bucket (documents.store: s3). Staging streams the bytes to
 * `<prefix>staging/<uuid>` with a multipart upload (`@aws-sdk/lib-storage`: 5 MiB parts, one in flight,
 * so memory holds about one part per upload); commit copies the object to `<prefix>sha256/<hash>`
 * unless that content is already filed, and deletes the staged copy. The `document_contents` row is
 * still written in the upload's transaction (documents reference it, and it tells whether the content
 * exists); should that transaction roll back after the copy, the object left behind is the same bytes a
 * later upload of them would file, so it is harmless. Staged objects of failed uploads are deleted.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Knex } from 'knex';
import type { CauceConfig } from '../config';
import type { ContentStore } from './content-store';

const PART_BYTES = 5 * 1024 * 1024;

export function createS3ContentStore(config: CauceConfig['documents']['s3'], client?: S3Client): ContentStore {
  const { bucket, prefix } = config;
  if (!bucket) throw new Error('documents.s3.bucket must be set when documents.store is s3');
  const s3 =
    client ??
    new S3Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      forcePathStyle: config.forcePathStyle,
      // Checksums only where S3 requires them: S3-compatible servers do not all take the trailing ones.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  const stagingKey = (id: string) => `${prefix}staging/${id}`;
  const contentKey = (sha256: string) => `${prefix}sha256/${sha256}`;
  const remove = (key: string) => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));

  return {
    async stage(_trx, chunks) {
      const id = randomUUID();
      // The bytes' own failure (too large, wrong type) is the answer, whatever aborting the upload says.
      let refused: { error: unknown } | undefined;
      async function* watched() {
        try {
          yield* chunks;
        } catch (error) {
          refused = { error };
          throw error;
        }
      }
      const upload = new Upload({ client: s3, params: { Bucket: bucket, Key: stagingKey(id), Body: Readable.from(watched()) }, partSize: PART_BYTES, queueSize: 1 });
      try {
        await upload.done();
      } catch (err) {
        // lib-storage aborts a multipart upload itself; a single-part one may have landed.
        await remove(stagingKey(id)).catch(() => undefined);
        throw refused ? refused.error : err;
      }
      return id;
    },

    async commit(trx: Knex.Transaction, staged, sha256, size) {
      try {
        const inserted = await trx('document_contents').insert({ sha256, blob_id: staged, size }).onConflict('sha256').ignore().returning('sha256');
        if (!inserted.length) return false;
        await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: contentKey(sha256), CopySource: `${bucket}/${stagingKey(staged)}` }));
        return true;
      } finally {
        await remove(stagingKey(staged));
      }
    },

    async *read(sha256) {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: contentKey(sha256) }));
      for await (const chunk of object.Body as Readable) yield chunk as Buffer;
    },
  };
}
