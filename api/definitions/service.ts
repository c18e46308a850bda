/**
 * Deployed definitions as the API shows them. Validation, hashing and versioning live in
 * lib/definitions (shared with the CLI and the worker); this service maps their results to HTTP.
 */
import type { Knex } from 'knex';
import { DefinitionValidationError } from '../../lib/definitions/errors';
import { ValidationBusyError } from '../../lib/definitions/validate-pool';
import { deployDefinition, getVersionRecord, listDefinitions, listVersions, type VersionRecord } from '../../lib/definitions/store';
import { toIso as iso } from '../../lib/time';
import { HttpError, notFound, unprocessable } from '../errors';

/** The 404 message for a definition (or one of its versions) that is not deployed. */
export const definitionNotDeployed = (id: string, version?: number) =>
  version === undefined ? `Definition ${id} is not deployed` : `Definition ${id} has no version ${version}`;

function present(r: VersionRecord) {
  return { id: r.id, version: r.version, hash: r.hash, deployedAt: iso(r.deployedAt), deployedBy: r.deployedBy, definition: r.definition, source: r.source };
}

export function createDefinitionsService(db: Knex) {
  /** The latest version (or the given one), 404 when not deployed. */
  async function get(id: string, version?: number) {
    const record = await getVersionRecord(db, id, version);
    if (!record) throw notFound(definitionNotDeployed(id, version), { id, version: version ?? null });
    return present(record);
  }

  return {
    async list() {
      const items = await listDefinitions(db);
      return { items: items.map((d) => ({ ...d, deployedAt: iso(d.deployedAt) })) };
    },

    get,

    async getWithVersions(id: string) {
      const latest = await get(id);
      const versions = await listVersions(db, id);
      return { ...latest, versions: versions.map((v) => ({ version: v.version, hash: v.hash, deployedAt: iso(v.deployedAt), deployedBy: v.deployedBy })) };
    },

    /** Deploys YAML: the version, `created` false when the same content already exists. 422 lists located errors. */
    async deploy(source: string, file: string, deployedBy: string) {
      try {
        const { version, created } = await deployDefinition(db, source, file, deployedBy);
        return { ...(await get(version.id, version.version)), created };
      } catch (err) {
        if (err instanceof DefinitionValidationError) {
          throw unprocessable('invalid_definition', `The definition has ${err.errors.length} problem(s)`, err.errors);
        }
        if (err instanceof ValidationBusyError) throw new HttpError(503, 'validation_busy', err.message);
        throw err;
      }
    },
  };
}

export type DefinitionsService = ReturnType<typeof createDefinitionsService>;
