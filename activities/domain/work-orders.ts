/**
 * Work orders (OT, seed 004): opened by commercial support once the documents are valid; closed by
 * provisioning at production's request, which is also when billing starts.
 */
import type { Knex } from 'knex';
import { isUuid } from '../../domain/fields';
import { createDocumentStore, type DocumentRow } from '../../lib/documents/store';
import type { ProcessActivity, StepContext } from '../context';
import { transition } from './status';
import { findByKey, insertOnce, invalid, iso, requireString, requireUuid, type Input } from './support';

interface WorkOrderRow { id: string; number: string; status: string; documents: unknown[]; created_at: Date }

const created = (row: WorkOrderRow) => ({ workOrderId: row.id, number: row.number, status: row.status, documents: row.documents, createdAt: iso(row.created_at) });

/** A document the OT carries, as production receives it. */
interface WorkOrderDocument { kind: string; documentId: string; filename: string; contentType: string; sha256: string }

/**
 * The OT's documents: `[{ kind, documentId }]`, each an uploaded document of that kind attached to
 * this instance (the validated task's fields). Instances started before documents were uploaded
 * give `[{ kind, url }]`, kept as they are.
 */
async function workOrderDocuments(db: Knex, input: Input, ctx: StepContext): Promise<unknown[]> {
  const given = input.documents ?? [];
  if (!Array.isArray(given)) throw invalid('documents', 'must be an array of { kind, documentId }');
  const ids = given.map((d, i) => {
    const { kind, documentId, url } = (d ?? {}) as Record<string, unknown>;
    if (typeof kind !== 'string' || !kind) throw invalid(`documents[${i}].kind`, 'is required');
    if (documentId === undefined && typeof url === 'string') return null;
    if (typeof documentId !== 'string' || !isUuid(documentId)) throw invalid(`documents[${i}].documentId`, `must be the id of an uploaded document (got ${JSON.stringify(documentId)})`);
    return documentId.toLowerCase();
  });
  const rows = new Map((await createDocumentStore(db).getMany(ids.filter((id): id is string => id !== null))).map((r) => [r.id, r]));
  return given.map((d, i): unknown => {
    const id = ids[i];
    if (id === null) return d;
    const { kind } = d as { kind: string };
    const row: DocumentRow | undefined = rows.get(id);
    if (!row || row.instance_id !== ctx.instanceId) throw invalid(`documents[${i}].documentId`, `document ${id} is not attached to this sale`);
    if (row.kind !== kind) throw invalid(`documents[${i}].documentId`, `document ${id} is of kind '${row.kind ?? 'none'}', not '${kind}'`);
    const doc: WorkOrderDocument = { kind, documentId: id, filename: row.filename, contentType: row.content_type, sha256: row.sha256 };
    return doc;
  });
}

export function createWorkOrderActivities({ db }: { db: Knex }): Record<string, ProcessActivity> {
  return {
    async 'workOrders.create'(input, ctx) {
      const fields = {
        contract_number: requireString(input, 'contractNumber'),
        client_tax_id: requireString(input, 'clientTaxId'),
        client_name: requireString(input, 'clientName'),
        product: requireString(input, 'product'),
      };
      const earlier = await findByKey<WorkOrderRow>(db, 'work_orders', ctx.key);
      if (earlier) return created(earlier);
      const documents = await workOrderDocuments(db, input, ctx);
      const row = await insertOnce<WorkOrderRow>(db, 'work_orders', {
        ...fields,
        number: db.raw(`'OT-' || lpad(nextval('work_order_number_seq')::text, 6, '0')`),
        documents: JSON.stringify(documents),
        instance_id: ctx.instanceId,
        idempotency_key: ctx.key,
      });
      return created(row);
    },

    async 'workOrders.close'(input, ctx) {
      const workOrderId = requireUuid(input, 'workOrderId');
      const change = await transition(db, {
        entity: 'work_order', id: workOrderId, to: 'closed', from: ['open'], reason: 'provisioning closed the OT; billing starts',
        set: { closed_at: db.fn.now(), billing_started_at: db.fn.now() },
      }, ctx);
      const row = await db('work_orders').where({ id: workOrderId }).first('number');
      return { workOrderId, number: row.number as string, status: change.to_status, closedAt: iso(change.at) };
    },
  };
}
