/**
 * Receiving one document: the multipart body is parsed as it arrives (busboy), the file's type is
 * sniffed from its first bytes (file-type) before anything is stored, and the bytes flow into the
 * content store while they are hashed and counted. Everything is written in one transaction: a file
 * refused halfway (too large, wrong type) leaves no row and no chunk.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { fileTypeFromBuffer, supportedExtensions } from 'file-type/core';
import type { Request } from 'express';
import type { Knex } from 'knex';
import type { ContentStore } from '../../lib/documents/content-store';
import { badRequest, HttpError, unprocessable } from '../errors';
import type { createDocumentStore, DocumentRow } from '../../lib/documents/store';

/** Bytes file-type reads to recognise a type (its own sample size). */
const SNIFF_BYTES = 4100;

/** What an unrecognised file is stored as. */
export const UNKNOWN_TYPE = 'application/octet-stream';

/** Extensions file-type reports under another name. */
const EXTENSION_ALIASES: Record<string, string> = { jpeg: 'jpg', tiff: 'tif', htm: 'html' };

export interface UploadContext {
  db: Knex;
  content: ContentStore;
  documents: ReturnType<typeof createDocumentStore>;
  maxBytes: number;
  /** The types the deployed definitions allow for a kind; null when none declares it. */
  allowedTypes(kind: string): Promise<string[] | null>;
  uploadedBy: string;
}

const tooLarge = (maxBytes: number) =>
  new HttpError(413, 'entity_too_large', `The document is larger than ${maxBytes} bytes, the most an upload accepts (documents.maxBytes)`, { limit: maxBytes });

interface Fields {
  kind?: string;
  issuedAt?: string;
}

/** Parses the upload and stores it; the documents row it wrote. */
export function receiveDocument(req: Request, ctx: UploadContext): Promise<DocumentRow> {
  const declared = Number(req.get('content-length'));
  // The multipart framing adds a little to the file's own size.
  if (Number.isFinite(declared) && declared > ctx.maxBytes + 64 * 1024) return Promise.reject(drain(req, tooLarge(ctx.maxBytes)));
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { files: 1, fields: 10, fieldSize: 1024, fileSize: ctx.maxBytes }, defParamCharset: 'utf8' });
  } catch (err) {
    return Promise.reject(drain(req, badRequest('invalid_request', `Send the document as multipart/form-data with a 'file' field: ${(err as Error).message}`)));
  }

  return new Promise<DocumentRow>((resolve, reject) => {
    const fields: Fields = {};
    let stored: Promise<DocumentRow> | undefined;
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      drain(req, err);
      reject(err);
    };

    parser.on('field', (name, value) => {
      if (name === 'kind' || name === 'issuedAt') fields[name] = value;
    });
    parser.on('file', (name, file, info) => {
      if (name !== 'file' || stored) {
        file.resume();
        return fail(badRequest('invalid_request', `Send exactly one file, in the field 'file' (got '${name}')`));
      }
      stored = storeFile(ctx, file, safeFilename(info.filename), { ...fields });
      stored.catch((err) => {
        file.resume();
        fail(err);
      });
    });
    parser.on('error', (err) => fail(badRequest('invalid_request', `The multipart body cannot be read: ${(err as Error).message}`)));
    parser.on('close', () => {
      if (!stored) return fail(badRequest('invalid_request', "The upload has no 'file' field"));
      stored.then(resolve, fail);
    });
    // A client gone halfway ends no stream by itself: without this, its transaction would wait forever.
    req.on('close', () => {
      if (!req.complete) parser.destroy(new Error('the client closed the connection before the upload ended'));
    });
    req.pipe(parser);
  });
}

/** The name the file is kept and served under: no folders, no control characters, at most 200 characters. */
function safeFilename(sent: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  const name = (sent ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return name && name !== '.' && name !== '..' ? name : 'document';
}

/** Reads and drops the rest of a refused body, so the client gets to read the answer. */
function drain(req: Readable, err: unknown): unknown {
  req.resume();
  return err;
}

function checkIssuedAt(issuedAt: string | undefined): string | null {
  if (issuedAt === undefined || issuedAt === '') return null;
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(issuedAt) ? Date.parse(`${issuedAt}T00:00:00Z`) : NaN;
  if (Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== issuedAt) {
    throw unprocessable('invalid_document', `issuedAt must be a date YYYY-MM-DD, got ${JSON.stringify(issuedAt)}`, { field: 'issuedAt' });
  }
  if (parsed > Date.now()) throw unprocessable('invalid_document', `issuedAt ${issuedAt} is in the future`, { field: 'issuedAt' });
  return issuedAt;
}

/** The sniffed type of the first bytes, refused when the file's name or its kind says otherwise. */
async function sniff(ctx: UploadContext, head: Buffer, filename: string, kind: string | undefined): Promise<string> {
  const detected = await fileTypeFromBuffer(head);
  const contentType = detected?.mime ?? UNKNOWN_TYPE;
  const named = /\.([a-z0-9]+)$/i.exec(filename)?.[1].toLowerCase();
  const namedAs = named ? (EXTENSION_ALIASES[named] ?? named) : undefined;
  // A name whose extension file-type knows must match the bytes: a PNG renamed to .pdf is refused.
  if (namedAs && supportedExtensions.has(namedAs as never) && detected?.ext !== namedAs) {
    throw unprocessable('wrong_file_type', `The file is named '${filename}' but its bytes are ${contentType}`, { filename, sniffedType: contentType });
  }
  if (kind !== undefined) {
    const allowed = await ctx.allowedTypes(kind);
    if (!allowed) throw unprocessable('unknown_document_kind', `No deployed definition declares the document kind '${kind}'`, { kind });
    if (!allowed.includes(contentType)) {
      throw unprocessable('wrong_file_type', `A document of kind '${kind}' must be ${allowed.join(' or ')}; this file is ${contentType} (sniffed from its bytes)`, {
        kind,
        sniffedType: contentType,
        allowed,
      });
    }
  }
  return contentType;
}

async function storeFile(ctx: UploadContext, file: Readable & { truncated?: boolean }, filename: string, fields: Fields): Promise<DocumentRow> {
  const issuedAt = checkIssuedAt(fields.issuedAt);
  const kind = fields.kind || undefined;
  const hash = createHash('sha256');
  let size = 0;
  let contentType = UNKNOWN_TYPE;

  /** The file's bytes, once its first ones are sniffed; fails past the size limit. */
  async function* checked(): AsyncGenerator<Buffer> {
    let head: Buffer[] = [];
    let headLength = 0;
    let sniffed = false;
    for await (const chunk of file as AsyncIterable<Buffer>) {
      size += chunk.length;
      hash.update(chunk);
      if (sniffed) {
        yield chunk;
        continue;
      }
      head.push(chunk);
      headLength += chunk.length;
      if (headLength < SNIFF_BYTES) continue;
      const first = Buffer.concat(head, headLength);
      head = [];
      contentType = await sniff(ctx, first, filename, kind);
      sniffed = true;
      yield first;
    }
    if (file.truncated) throw tooLarge(ctx.maxBytes);
    if (!sniffed) {
      if (headLength === 0) throw unprocessable('invalid_document', 'The file is empty', { filename });
      const first = Buffer.concat(head, headLength);
      contentType = await sniff(ctx, first, filename, kind);
      yield first;
    }
  }

  return ctx.db.transaction(async (trx) => {
    const staged = await ctx.content.stage(trx, checked());
    const sha256 = hash.digest('hex');
    await ctx.content.commit(trx, staged, sha256, size);
    const row = { id: randomUUID(), sha256, content_type: contentType, size, filename, kind: kind ?? null, issued_at: issuedAt, uploaded_by: ctx.uploadedBy };
    await ctx.documents.insert(trx, row);
    return { ...row, uploaded_at: new Date(), instance_id: null };
  });
}
