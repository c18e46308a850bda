/**
 * The facts workflows/policy.ts judges instances by, read from the database: who started an instance,
 * and the acting roles of the definition version it runs (cached: versions are immutable).
 */
import type { Knex } from 'knex';
import type { ProcessDefinition } from '../../workflows/model';
import { actingRoles, canSeeInstance, instanceListScope, isOperator, type InstanceListScope } from '../../workflows/policy';
import type { SessionUser } from '../types';

interface VersionKey {
  definition_id: string;
  version: number;
}

const keyOf = (v: VersionKey) => `${v.definition_id}@${v.version}`;

export function createInstanceVisibility(db: Knex) {
  const rolesByVersion = new Map<string, string[]>();

  /** Acting roles of every deployed version, loading only the definitions not seen before. */
  async function deployedVersions(): Promise<Array<{ definitionId: string; version: number; actingRoles: string[] }>> {
    const keys: VersionKey[] = await db('definition_versions').select('definition_id', 'version');
    const missing = keys.filter((k) => !rolesByVersion.has(keyOf(k)));
    if (missing.length) {
      const rows: Array<VersionKey & { definition: ProcessDefinition }> = await db('definition_versions')
        .whereIn(['definition_id', 'version'], missing.map((k) => [k.definition_id, k.version]))
        .select('definition_id', 'version', 'definition');
      for (const r of rows) rolesByVersion.set(keyOf(r), actingRoles(r.definition));
    }
    return keys.map((k) => ({ definitionId: k.definition_id, version: k.version, actingRoles: rolesByVersion.get(keyOf(k)) ?? [] }));
  }

  async function rolesOf(v: VersionKey): Promise<string[]> {
    const cached = rolesByVersion.get(keyOf(v));
    if (cached) return cached;
    const row: { definition: ProcessDefinition } | undefined = await db('definition_versions')
      .where({ definition_id: v.definition_id, version: v.version })
      .first('definition');
    // An instance of a version that is not deployed (rows written by hand) acts for no role.
    if (!row) return [];
    const roles = actingRoles(row.definition);
    rolesByVersion.set(keyOf(v), roles);
    return roles;
  }

  return {
    async canSee(user: SessionUser, row: VersionKey & { started_by: string }): Promise<boolean> {
      return canSeeInstance(user, { startedBy: row.started_by, actingRoles: await rolesOf(row) });
    },

    async listScope(user: SessionUser): Promise<InstanceListScope> {
      // The same answer instanceListScope gives an operator, without reading the versions.
      return isOperator(user) ? { all: true } : instanceListScope(user, await deployedVersions());
    },
  };
}
