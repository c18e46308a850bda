/**
 * Contract consecutives (seed 004, step 6). Provisioning hands the consecutive out and keys the contract
 * in ONYX or RR; `contracts.register` records the number it typed. A consecutive is unique per system
 * (constraint `contract_numbers_system_number_unique`, migration 017): one another sale already holds is
 * not an error but an answer, `{ registered: false, takenBy }`, so the definition can send provisioning
 * back to type another one instead of failing the instance.
 *
 * `contracts.requestNumber` (a number from our own sequence) is kept only for instances started on
 * versions of assisted-sale before provisioning's consecutive.
 */
import type { Knex } from 'knex';
import type { ProcessActivity } from '../context';
import { findByKey, insertOnce, isUniqueViolation, iso, optionalString, requireEnum, requireString } from './support';

const CONTRACT_SYSTEMS = ['onyx', 'rr'] as const;

interface ContractRow {
  id: string; number: string; system: string; client_tax_id: string; client_name: string;
  instance_id: string | null; registered_by: string | null; created_at: Date;
}

const result = (row: ContractRow) => ({ contractId: row.id, contractNumber: row.number, system: row.system, requestedAt: iso(row.created_at) });

const registered = (row: ContractRow) => ({
  registered: true as const,
  contractId: row.id,
  contractNumber: row.number,
  system: row.system,
  registeredBy: row.registered_by,
  registeredAt: iso(row.created_at),
});

export function createContractActivities({ db }: { db: Knex }): Record<string, ProcessActivity> {
  return {
    async 'contracts.register'(input, ctx) {
      const system = requireEnum(input, 'system', CONTRACT_SYSTEMS);
      // Its shape is the definition's rule (the task form's pattern); here only what makes it the same number.
      const number = requireString(input, 'contractNumber').toUpperCase();
      const earlier = await findByKey<ContractRow>(db, 'contract_numbers', ctx.key);
      if (earlier) return registered(earlier);
      try {
        return registered(await insertOnce<ContractRow>(db, 'contract_numbers', {
          number,
          system,
          client_tax_id: requireString(input, 'clientTaxId'),
          client_name: requireString(input, 'clientName'),
          requested_by: optionalString(input, 'requestedBy'),
          registered_by: optionalString(input, 'registeredBy'),
          instance_id: ctx.instanceId,
          idempotency_key: ctx.key,
        }));
      } catch (error) {
        if (!isUniqueViolation(error, 'contract_numbers_system_number_unique')) throw error;
        const holder = await db<ContractRow>('contract_numbers').where({ system, number }).first();
        if (!holder) throw error; // the holder vanished between the insert and the look-up: the retry decides
        // This very sale holding it means an earlier visit of the step registered it: nothing is taken.
        if (holder.instance_id === ctx.instanceId) return registered(holder);
        return {
          registered: false as const,
          contractNumber: number,
          system,
          takenBy: { clientName: holder.client_name, clientTaxId: holder.client_tax_id, registeredAt: iso(holder.created_at) },
        };
      }
    },

    async 'contracts.requestNumber'(input, ctx) {
      const system = requireEnum(input, 'system', CONTRACT_SYSTEMS);
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
