/**
 * The activities the interpreter calls, built from their dependencies.
 */
import type { Knex } from 'knex';
import type { EngineActivities } from '../context';
import { createAuditActivities } from './audit';
import { createDefinitionActivities } from './definitions';
import { createIncidentActivities } from './incidents';
import { createInstanceActivities } from './instances';
import { createStageActivities } from './stages';
import { createTaskActivities } from './tasks';

export function createEngineActivities(deps: { db: Knex }): EngineActivities {
  return {
    ...createInstanceActivities(deps),
    ...createTaskActivities(deps),
    ...createStageActivities(deps),
    ...createAuditActivities(deps),
    ...createDefinitionActivities(deps),
    ...createIncidentActivities(deps),
  };
}
