/**
 * Work orders (OT, seed 004): opened by commercial support once the documents are valid; closed by
 * provisioning at production's request, which is also when billing starts.
 */
import type { Knex } from 'knex';
import type { ProcessActivity } from '../context';
import { transition } from './status';
import { findByKey, insertOnce, invalid, iso, requireString, requireUuid } from './support';

interface WorkOrderRow { id: string; number: string; status: string; created_at: Date }

const created = (row: WorkOrderRow) => ({ workOrderId: row.id, number: row.number, status: row.status, createdAt: iso(row.created_at) });

export function createWorkOrderActivities({ db }: { db: Knex }): Record<string, ProcessActivity> {
  return {
    async 'workOrders.create'(input, ctx) {
      const documents = input.documents ?? [];
      if (!Array.isArray(documents)) throw invalid('documents', 'must be an array');
      const fields = {
        contract_number: requireString(input, 'contractNumber'),
        client_tax_id: requireString(input, 'clientTaxId'),
        client_name: requireString(input, 'clientName'),
        product: requireString(input, 'product'),
      };
      const earlier = await findByKey<WorkOrderRow>(db, 'work_orders', ctx.key);
      if (earlier) return created(earlier);
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
