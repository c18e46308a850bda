/**
 * The `engine.audit` activity. The trail itself (writeAudit) is lib/audit.ts, shared with reconciliation.
 */
import type { Knex } from 'knex';
import { writeAudit } from '../../lib/audit';
import type { EngineActivities } from '../context';

export { writeAudit, type AuditLine } from '../../lib/audit';

export function createAuditActivities({ db }: { db: Knex }): Pick<EngineActivities, 'engine.audit'> {
  return {
    async 'engine.audit'(a) {
      await writeAudit(db, {
        key: a.key,
        instanceId: a.instanceId,
        kind: a.kind,
        stepId: a.stepId,
        actor: a.actor,
        details: a.details,
      });
    },
  };
}
