/**
 * Instance lifecycle projections: the `process_instances` row the API lists and filters.
 * The workflow is the source of truth; these writes mirror it and are safe to repeat.
 */
import type { Knex } from 'knex';
import { ApplicationFailure } from '@temporalio/common';
import type { EngineActivities } from '../context';
import { finishInstanceRow } from '../../lib/instance-finish';
import { writeAudit } from './audit';

export function createInstanceActivities({
  db,
}: {
  db: Knex;
}): Pick<EngineActivities, 'engine.recordStart' | 'engine.finishInstance'> {
  return {
    async 'engine.recordStart'(i) {
      await db.transaction(async (trx) => {
        // The one writer of the row: a repeat (at-least-once) changes nothing.
        await trx('process_instances')
          .insert({
            id: i.instanceId,
            workflow_id: i.workflowId ?? i.instanceId,
            definition_id: i.definitionId,
            version: i.version,
            business_key: i.businessKey,
            status: 'running',
            variables: JSON.stringify(i.variables ?? {}),
            started_by: i.startedBy,
          })
          .onConflict('id')
          .ignore();
        await writeAudit(trx, {
          key: `${i.instanceId}:started`,
          instanceId: i.instanceId,
          kind: 'instance.started',
          actor: i.startedBy,
          details: { definitionId: i.definitionId, version: i.version, businessKey: i.businessKey },
        });
      });
    },

    async 'engine.finishInstance'(f) {
      const { status } = f;
      if (status === 'running') throw ApplicationFailure.nonRetryable(`finishing ${f.instanceId} needs a closing status`, 'InvalidStatus');
      const { exists } = await finishInstanceRow(db, { ...f, status });
      if (!exists) throw ApplicationFailure.nonRetryable(`instance ${f.instanceId} not found`, 'InstanceNotFound');
    },
  };
}
