/**
 * What the assisted sale's document tasks (definitions/assisted-sale.yaml) take, built from real files:
 * the contract documents of `collectDocuments`, the product content of `collectContent`, and
 * `validateDocuments`' verdicts. A document is stored either through POST /api/documents (tests that
 * drive the API) or straight into Postgres attached to the instance (workflow tests, which have no
 * API to attach it on completion); both go through `DocumentSink`.
 */
import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type/core';
import type { Knex } from 'knex';
import { createPostgresContentStore } from '../../lib/documents/content-store';
import { createDocumentStore } from '../../lib/documents/store';
import { daysAgo, jpegBytes, pdfBytes, pngBytes, uploadDocument } from './documents';

/** Stores one file of a kind (issued `issuedAt`, YYYY-MM-DD, when given) and answers its document id. */
export type DocumentSink = (kind: string, bytes: Buffer, filename: string, issuedAt?: string) => Promise<string>;

/** The kinds `validateDocuments` judges, and the `collectDocuments` field of each. */
export const CONTRACT_DOCUMENTS = {
  annex: 'annex',
  contract: 'contract',
  clauses: 'clauses',
  'id-copy': 'idCopy',
  'company-certificate': 'companyCertificate',
} as const;

export type ContractKind = keyof typeof CONTRACT_DOCUMENTS;

/** Uploads as `token` through the API. */
export function uploadSink(baseUrl: string, token: string): DocumentSink {
  return async (kind, bytes, filename, issuedAt) => {
    const res = await uploadDocument(baseUrl, token, bytes, { kind, filename, issuedAt });
    if (res.status !== 201) throw new Error(`upload of ${filename} (${kind}) answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
}

/** Writes the document into Postgres already attached to `instanceId`, as a completion through the API leaves it. */
export function attachedSink(db: Knex, instanceId: string, uploadedBy = 'consultant'): DocumentSink {
  const content = createPostgresContentStore(db);
  const documents = createDocumentStore(db);
  return async (kind, bytes, filename, issuedAt) => {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const id = crypto.randomUUID();
    const contentType = (await fileTypeFromBuffer(bytes))?.mime ?? 'application/octet-stream';
    await db.transaction(async (trx) => {
      const staged = await content.stage(trx, (async function* () { yield bytes; })());
      await content.commit(trx, staged, sha256, bytes.length);
      await documents.insert(trx, { id, sha256, content_type: contentType, size: bytes.length, filename, kind, issued_at: issuedAt ?? null, uploaded_by: uploadedBy });
    });
    await documents.attach([id], instanceId);
    return id;
  };
}

/**
 * The `collectDocuments` data: each contract document as a PDF of its own (the ID copy a PNG), the
 * certificate issued `certificateAgeDays` ago. `replace` gives some kinds a new file (after a rejection),
 * keeping the ids of `previous` for the rest.
 */
export async function contractDocuments(
  store: DocumentSink,
  options: { certificateAgeDays?: number; previous?: Record<string, unknown>; replace?: ContractKind[]; tag?: string } = {},
): Promise<Record<string, unknown>> {
  const tag = options.tag ?? crypto.randomUUID().slice(0, 8);
  const data: Record<string, unknown> = { ...(options.previous ?? {}), certificateType: 'chamber-of-commerce' };
  for (const [kind, field] of Object.entries(CONTRACT_DOCUMENTS) as Array<[ContractKind, string]>) {
    if (options.previous && !options.replace?.includes(kind)) continue;
    const bytes = kind === 'id-copy' ? pngBytes(24, tag.charCodeAt(0)) : pdfBytes(`${kind} ${tag}`);
    const issuedAt = kind === 'company-certificate' ? daysAgo(options.certificateAgeDays ?? 3) : undefined;
    data[field] = await store(kind, bytes, `${kind}-${tag}.${kind === 'id-copy' ? 'png' : 'pdf'}`, issuedAt);
  }
  return data;
}

/** The `collectContent` data: `count` products, each with its JPG, and the embed code. */
export async function productContent(store: DocumentSink, count = 2): Promise<Record<string, unknown>> {
  const products = [];
  for (let i = 0; i < count; i++) {
    const image = await store('product-image', jpegBytes(i), `producto-${i + 1}.jpg`);
    products.push({ image, category: 'Panes', name: `Pan de masa madre ${i + 1}`, description: 'Horneado cada mañana con harina integral y masa madre de centeno.', price: 9500 + i * 500 });
  }
  return { products, embedCode: '<iframe src="https://www.youtube.com/embed/abc123"></iframe>' };
}

/** `validateDocuments`' data: every contract document accepted, but those `rejected` with their reasons. */
export function verdicts(rejected: Partial<Record<ContractKind, string>> = {}, observations?: string): Record<string, unknown> {
  const all = Object.keys(CONTRACT_DOCUMENTS).map((kind) => {
    const reason = rejected[kind as ContractKind];
    return [kind, reason ? { verdict: 'rejected', reason } : { verdict: 'accepted' }];
  });
  return { verdicts: Object.fromEntries(all), ...(observations ? { observations } : {}) };
}
