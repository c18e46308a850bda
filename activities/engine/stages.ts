/**
 * Business stage of an instance (funnel position), recorded by `setStage` steps.
 */
import type { Knex } from 'knex';
import type { EngineActivities } from '../context';
import { writeAudit } from './audit';

export function createStageActivities({ db }: { db: Knex }): Pick<EngineActivities, 'engine.setStage'> {
  return {
    async 'engine.setStage'(s) {
      await db.transaction(async (trx) => {
        const row = await trx('process_instances').where({ id: s.instanceId }).forUpdate().first('stage');
        // The audit line goes first and gates the update: if its key exists this is a replay, and
        // re-applying it could overwrite a stage that a parallel branch set after it.
        const firstTime = await writeAudit(trx, {
          key: `${s.key}:stage`,
          instanceId: s.instanceId,
          kind: 'stage.changed',
          actor: s.actor,
          at: s.at,
          details: { stage: s.stage, previous: row?.stage ?? null },
        });
        if (firstTime) {
          await trx('process_instances')
            .where({ id: s.instanceId })
            .update({ stage: s.stage, updated_at: trx.fn.now() });
        }
      });
    },
  };
}
