/**
 * Incidents: the `incidents` rows. The interpreter raises one when a step cannot go on by itself and
 * waits; an operator's retry or cancel closes it. Both writes are keyed, so a retried activity
 * changes nothing the first one did.
 */
import type { Knex } from 'knex';
import { loadDefinitionSource } from '../../lib/definitions/load';
import type { EngineActivities, IncidentLocation } from '../context';
import { writeAudit } from './audit';

const NOWHERE: IncidentLocation = { file: null, line: null, column: null };

/**
 * Where `path` is in the version's YAML. A fault inside an expression moves the column to the
 * expression's own offset when the value sits on one line (a `=` plain or quoted scalar).
 */
async function locate(db: Knex, definitionId: string, version: number, path: string | undefined, position: number | undefined): Promise<IncidentLocation> {
  if (!path) return NOWHERE;
  const row = await db('definition_versions').where({ definition_id: definitionId, version }).first('source', 'file');
  if (!row) return NOWHERE;
  const file = row.file ?? `${definitionId}@${version}`;
  const at = loadDefinitionSource(row.source, file).locate(path);
  if (position === undefined) return { file, line: at.line, column: at.column };
  // JSONata's position is the 1-based end of the token at fault, counted from after the `=`.
  const value = (String(row.source).split('\n')[at.line - 1] ?? '').slice(at.column - 1);
  const skipped = /^["']?=?/.exec(value)![0].length;
  return { file, line: at.line, column: at.column + skipped + Math.max(0, position - 1) };
}

export function createIncidentActivities({ db }: { db: Knex }): Pick<EngineActivities, 'engine.raiseIncident' | 'engine.resolveIncident'> {
  return {
    async 'engine.raiseIncident'(i) {
      const where = await locate(db, i.definitionId, i.version, i.path, i.position);
      await db.transaction(async (trx) => {
        await trx('incidents')
          .insert({
            id: i.id,
            key: i.key,
            instance_id: i.instanceId,
            source: 'step',
            step_id: i.stepId,
            type: i.type,
            message: i.message,
            path: i.path ?? null,
            ...where,
          })
          .onConflict('key')
          .ignore();
        await writeAudit(trx, {
          key: `${i.key}:raised`,
          instanceId: i.instanceId,
          stepId: i.stepId,
          kind: 'incident.raised',
          details: { incidentId: i.id, type: i.type, message: i.message, ...(i.path ? { path: i.path } : {}), ...where },
        });
      });
      return where;
    },

    async 'engine.resolveIncident'(r) {
      await db.transaction(async (trx) => {
        await trx('incidents')
          .where({ id: r.id, status: 'open' })
          .update({ status: 'resolved', resolution: r.resolution, resolved_by: r.actor, resolved_at: trx.fn.now() });
        await writeAudit(trx, {
          key: `${r.id}:resolved`,
          instanceId: r.instanceId,
          kind: `incident.${r.resolution}`,
          actor: r.actor,
          details: { incidentId: r.id },
        });
      });
    },
  };
}
