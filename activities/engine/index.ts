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
import { createTaskLinkActivities } from './task-links';
import { LOCAL_PUBLIC_URL } from '../../lib/config';

/** `publicUrl`: where the web app is reached, for the links e-mailed to outside participants (config http.publicUrl). */
export function createEngineActivities(deps: { db: Knex; publicUrl?: string }): EngineActivities {
  return {
    ...createInstanceActivities(deps),
    ...createTaskActivities(deps),
    ...createTaskLinkActivities({ db: deps.db, publicUrl: deps.publicUrl ?? LOCAL_PUBLIC_URL }),
    ...createStageActivities(deps),
    ...createAuditActivities(deps),
    ...createDefinitionActivities(deps),
    ...createIncidentActivities(deps),
  };
}
