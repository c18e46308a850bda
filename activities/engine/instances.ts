/**
 * Instance lifecycle projections: the `process_instances` row the API lists and filters.
 * The workflow is the source of truth; these writes mirror it and are safe to repeat.
 */
import type { Knex } from 'knex';
import { ApplicationFailure } from '@temporalio/common';
import type { EngineActivities } from '../context';
import { isUniqueViolation } from '../../lib/db';
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
      await db.transaction(async (trx) => {
        // Only the first terminal status sticks; a replay (or a late second finish) changes nothing.
        const updated = await trx('process_instances')
          .where({ id: f.instanceId, status: 'running' })
          .update({
            status: f.status,
            outcome: f.outcome,
            end_reason: f.reason ?? null,
            ended_at: trx.fn.now(),
            updated_at: trx.fn.now(),
          });
        if (updated === 0) {
          const exists = await trx('process_instances').where({ id: f.instanceId }).first('id');
          if (!exists) {
            throw ApplicationFailure.nonRetryable(`instance ${f.instanceId} not found`, 'InstanceNotFound');
          }
        }
        const reason = f.reason ?? `instance ${f.status}`;
        const cancelled: Array<{ id: string; step_id: string }> = await trx('tasks')
          .where({ instance_id: f.instanceId, status: 'open' })
          .update({ status: 'cancelled', cancel_reason: reason })
          .returning(['id', 'step_id']);
        for (const task of cancelled) {
          await writeAudit(trx, {
            key: `${task.id}:cancelled`,
            instanceId: f.instanceId,
            taskId: task.id,
            stepId: task.step_id,
            kind: 'task.cancelled',
            actor: f.actor ?? 'system',
            details: { reason },
          });
        }
        // An incident left open ends with its instance (the cancel or the failure is the operator's answer).
        await trx('incidents')
          .where({ instance_id: f.instanceId, status: 'open' })
          .update({ status: 'resolved', resolution: f.status, resolved_by: f.actor ?? 'system', resolved_at: trx.fn.now() });
        await writeAudit(trx, {
          key: `${f.instanceId}:finished`,
          instanceId: f.instanceId,
          kind: `instance.${f.status}`,
          actor: f.actor ?? 'system',
          details: { status: f.status, outcome: f.outcome, ...(f.reason ? { reason: f.reason } : {}) },
        });
      });
    },
  };
}
