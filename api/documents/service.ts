/**
 * Documents: upload (upload.ts), read by whoever may see them (workflows/policy.ts, canSeeDocument),
 * and the checks a task completion's document fields pass before the update is sent: the document
 * exists and the caller sees it, it is of the field's kind, not too old (workflows/documents.ts), and
 * not attached to another instance. Passing documents are attached to the task's instance.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Request, Response } from 'express';
import { documentKindsNamed } from '../../lib/definitions/store';
import { createContentStore } from '../../lib/documents/content-store';
import { documentAgeProblem, documentValues, type DocumentKinds, type DocumentValue } from '../../workflows/documents';
import type { FormProblem } from '../../workflows/forms';
import { TaskErrors } from '../../workflows/messages';
import type { ProcessDefinition } from '../../workflows/model';
import { canSeeDocument } from '../../workflows/policy';
import type { AppDeps } from '../deps';
import { notFound, unprocessable } from '../errors';
import { createInstanceVisibility } from '../processes/visibility';
import type { SessionUser } from '../types';
import { createDocumentStore, presentDocument, type DocumentRow } from '../../lib/documents/store';
import { receiveDocument } from './upload';

export function createDocumentService({ db, config }: AppDeps) {
  const documents = createDocumentStore(db);
  const content = createContentStore(db, config.documents);
  const visibility = createInstanceVisibility(db);

  async function canSee(user: SessionUser, doc: DocumentRow): Promise<boolean> {
    if (!doc.instance_id) return canSeeDocument(user, { uploadedBy: doc.uploaded_by, instance: null });
    const instance = await db('process_instances').where({ id: doc.instance_id }).first('definition_id', 'version', 'started_by');
    return !!instance && (await visibility.canSee(user, instance));
  }

  /** The document, or 404 when it does not exist or the caller may not see it (the same answer). */
  async function requireDocument(user: SessionUser, id: string): Promise<DocumentRow> {
    const doc = await documents.get(id);
    if (!doc || !(await canSee(user, doc))) throw notFound(`Document ${id} not found`, { id });
    return doc;
  }

  return {
    async upload(user: SessionUser, req: Request) {
      const row = await receiveDocument(req, {
        db,
        content,
        documents,
        maxBytes: config.documents.maxBytes,
        uploadedBy: user.username,
        async allowedTypes(kind) {
          const kinds = await documentKindsNamed(db, kind);
          // A name several definitions declare accepts what any of them allows.
          return kinds.length ? [...new Set(kinds.flatMap((k) => k.types))] : null;
        },
      });
      const { id, sha256, contentType, size, kind } = presentDocument(row);
      return { id, sha256, contentType, size, kind };
    },

    async meta(user: SessionUser, id: string) {
      return presentDocument(await requireDocument(user, id));
    },

    /** Streams the bytes; never inline, so a stored HTML or SVG cannot run in Cauce's origin. */
    async download(user: SessionUser, id: string, res: Response): Promise<undefined> {
      const doc = await requireDocument(user, id);
      res.status(200);
      res.attachment(doc.filename);
      res.setHeader('content-type', doc.content_type);
      res.setHeader('content-length', String(doc.size));
      await pipeline(Readable.from(content.read(doc.sha256)), res);
      return undefined;
    },

    /**
     * 422 naming each document field of a completion that refers to a document the caller cannot see,
     * of another kind, too old, or attached to another instance; else attaches them to the instance
     * (before the update, so a completion recorded always has its documents attached).
     */
    async checkAndAttach(user: SessionUser, task: { id: string; instance_id: string; form: Record<string, unknown> | null }, definition: ProcessDefinition, data: Record<string, unknown>): Promise<void> {
      const kinds: DocumentKinds = definition.documents ?? {};
      // Top-level document fields and those of each item of an array field (`/products/3/image`).
      const refs = documentValues(task.form, data).filter((ref): ref is DocumentValue & { value: string } => typeof ref.value === 'string' && ref.value !== '');
      if (!refs.length) return;
      const rows = new Map((await documents.getMany(refs.map(({ value }) => value).filter(isUuid))).map((r) => [r.id, r]));
      const problems: FormProblem[] = [];
      for (const { path, kind, value: id } of refs) {
        const doc = rows.get(id);
        if (!doc || !(await canSee(user, doc))) problems.push({ path, message: `Document ${id} does not exist` });
        else if (doc.instance_id && doc.instance_id !== task.instance_id) problems.push({ path, message: `Document ${id} belongs to another process instance` });
        else if (doc.kind !== null && doc.kind !== kind) problems.push({ path, message: `Document ${id} is a '${doc.kind}', not a '${kind}'` });
        else if (kinds[kind] && !kinds[kind].types.includes(doc.content_type)) {
          problems.push({ path, message: `A '${kind}' must be ${kinds[kind].types.join(' or ')}; document ${id} is ${doc.content_type}` });
        } else {
          const tooOld = kinds[kind] && documentAgeProblem(kinds[kind], kind, doc.issued_at, Date.now());
          if (tooOld) problems.push({ path, message: tooOld });
        }
      }
      if (problems.length) {
        throw unprocessable(TaskErrors.invalidData, `the documents of task ${task.id} cannot be accepted: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { problems });
      }
      await documents.attach([...rows.keys()], task.instance_id);
    },
  };
}

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

export type DocumentService = ReturnType<typeof createDocumentService>;
