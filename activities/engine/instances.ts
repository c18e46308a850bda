/**
 * Instance lifecycle projections: the `process_instances` row the API lists and filters.
 * The workflow is the source of truth; these writes mirror it and are safe to repeat.
 */
import type { Knex } from 'knex';
import { ApplicationFailure } from '@temporalio/common';
import type { EngineActivities } from '../context';
import { isUniqueViolation } from '../../lib/db';
import { finishInstanceRow } from '../../lib/instance-finish';
import { writeAudit } from './audit';

const RUNNING_BUSINESS_KEY_INDEX = 'process_instances_running_business_key';

export function createInstanceActivities({
  db,
}: {
  db: Knex;
}): Pick<EngineActivities, 'engine.recordStart' | 'engine.finishInstance'> {
  return {
    async 'engine.recordStart'(i) {
      try {
        await db.transaction(async (trx) => {
          // The API usually inserted the row (to get the 409 on a duplicate business key before
          // starting the workflow); merging keeps its started_at and fills anything it left out.
          await trx('process_instances')
            .insert({
              id: i.instanceId,
              definition_id: i.definitionId,
              version: i.version,
              business_key: i.businessKey,
              status: 'running',
              variables: JSON.stringify(i.variables ?? {}),
              started_by: i.startedBy,
            })
            .onConflict('id')
            .merge(['definition_id', 'version', 'business_key', 'variables', 'started_by'])
            .where('process_instances.status', 'running');
          await writeAudit(trx, {
            key: `${i.instanceId}:started`,
            instanceId: i.instanceId,
            kind: 'instance.started',
            actor: i.startedBy,
            details: { definitionId: i.definitionId, version: i.version, businessKey: i.businessKey },
          });
        });
      } catch (err) {
        // Another running instance owns this business key: retrying cannot help.
        if (isUniqueViolation(err, RUNNING_BUSINESS_KEY_INDEX)) {
          throw ApplicationFailure.nonRetryable(
            `a running instance of ${i.definitionId} already has business key ${i.businessKey}`,
            'DuplicateBusinessKey',
          );
        }
        throw err;
      }
    },

    async 'engine.finishInstance'(f) {
      const { status } = f;
      if (status === 'running') throw ApplicationFailure.nonRetryable(`finishing ${f.instanceId} needs a closing status`, 'InvalidStatus');
      const { exists } = await finishInstanceRow(db, { ...f, status });
      if (!exists) throw ApplicationFailure.nonRetryable(`instance ${f.instanceId} not found`, 'InstanceNotFound');
    },
  };
}
