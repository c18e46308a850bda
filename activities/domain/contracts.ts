/**
 * Contract consecutives (seed 004, step 6): the number comes from one Postgres sequence so two
 * consultants can never get the same one; provisioning then registers it in ONYX or RR.
 */
import type { Knex } from 'knex';
import type { ProcessActivity } from '../context';
import { findByKey, insertOnce, iso, optionalString, requireEnum, requireString } from './support';

interface ContractRow { id: string; number: string; system: string; created_at: Date }

const result = (row: ContractRow) => ({ contractId: row.id, contractNumber: row.number, system: row.system, requestedAt: iso(row.created_at) });

export function createContractActivities({ db }: { db: Knex }): Record<string, ProcessActivity> {
  return {
    async 'contracts.requestNumber'(input, ctx) {
      const system = requireEnum(input, 'system', ['onyx', 'rr'] as const);
      const clientTaxId = requireString(input, 'clientTaxId');
      const clientName = requireString(input, 'clientName');
      const earlier = await findByKey<ContractRow>(db, 'contract_numbers', ctx.key);
      if (earlier) return result(earlier);
      const row = await insertOnce<ContractRow>(db, 'contract_numbers', {
        number: db.raw(`'MND-' || lpad(nextval('contract_number_seq')::text, 6, '0')`),
        system,
        client_tax_id: clientTaxId,
        client_name: clientName,
        requested_by: optionalString(input, 'requestedBy'),
        instance_id: ctx.instanceId,
        idempotency_key: ctx.key,
      });
      return result(row);
    },
  };
}
