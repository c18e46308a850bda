/** SQL for `documents` rows (the bytes are the content store's: lib/documents/content-store.ts). */
import type { Knex } from 'knex';
import { toIso } from '../time';

export interface DocumentRow {
  id: string;
  sha256: string;
  content_type: string;
  size: string | number;
  filename: string;
  kind: string | null;
  /** YYYY-MM-DD (read as text: a `date` has no time zone to shift it). */
  issued_at: string | null;
  uploaded_by: string;
  uploaded_at: Date;
  instance_id: string | null;
}

export type NewDocument = Omit<DocumentRow, 'uploaded_at' | 'instance_id'>;

const COLUMNS = ['id', 'sha256', 'content_type', 'size', 'filename', 'kind', 'issued_at', 'uploaded_by', 'uploaded_at', 'instance_id'];

export function createDocumentStore(db: Knex) {
  const select = (q: Knex) => q('documents').select(COLUMNS.map((c) => (c === 'issued_at' ? db.raw("to_char(issued_at, 'YYYY-MM-DD') as issued_at") : c)));
  return {
    async insert(trx: Knex.Transaction, doc: NewDocument): Promise<void> {
      await trx('documents').insert(doc);
    },

    async get(id: string): Promise<DocumentRow | null> {
      return (await select(db).where({ id }).first()) ?? null;
    },

    async getMany(ids: string[]): Promise<DocumentRow[]> {
      return ids.length ? select(db).whereIn('id', ids) : [];
    },

    /** Attaches documents to an instance; a document already attached (to it) is left as is. */
    async attach(ids: string[], instanceId: string): Promise<void> {
      if (ids.length) await db('documents').whereIn('id', ids).whereNull('instance_id').update({ instance_id: instanceId, attached_at: db.fn.now() });
    },
  };
}

export function presentDocument(r: DocumentRow) {
  return {
    id: r.id,
    sha256: r.sha256,
    contentType: r.content_type,
    size: Number(r.size),
    filename: r.filename,
    kind: r.kind,
    issuedAt: r.issued_at,
    uploadedBy: r.uploaded_by,
    uploadedAt: toIso(r.uploaded_at)!,
    processId: r.instance_id,
  };
}
