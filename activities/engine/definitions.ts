/**
 * Resolves the definition version a new instance (or a sub-process) runs with.
 */
import type { Knex } from 'knex';
import { ApplicationFailure } from '@temporalio/common';
import type { EngineActivities } from '../context';
import { getDefinitionVersion } from '../../lib/definitions/store';

export function createDefinitionActivities({ db }: { db: Knex }): Pick<EngineActivities, 'engine.resolveDefinition'> {
  return {
    async 'engine.resolveDefinition'(r) {
      const found = await getDefinitionVersion(db, r.id, r.version);
      if (!found) {
        const which = r.version === undefined ? 'any version' : `version ${r.version}`;
        throw ApplicationFailure.nonRetryable(`definition ${r.id} (${which}) is not deployed`, 'DefinitionNotFound', {
          id: r.id,
          version: r.version ?? null,
        });
      }
      return found;
    },
  };
}
