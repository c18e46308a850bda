/**
 * Deployed definitions: immutable, numbered versions. A deploy whose content hash matches an
 * existing version returns that version instead of creating a new one.
 */
import path from 'node:path';
import type { Knex } from 'knex';
import type { DefinitionVersion, DocumentKind, MessageListener, ProcessDefinition } from '../../workflows/model';
import { DefinitionValidationError } from './errors';
import { hashDefinition } from './hash';
import { defaultCatalog, validateFolder } from './validate';
import { validateOffThread } from './validate-pool';

export interface DeployResult {
  version: DefinitionVersion;
  /** false when the content was already deployed (same hash): nothing was written. */
  created: boolean;
}

export interface DefinitionSummary {
  id: string;
  name: string;
  description: string | null;
  latestVersion: number;
  versionCount: number;
  /** When the latest version was deployed. */
  deployedAt: Date;
}

export interface VersionSummary {
  id: string;
  version: number;
  hash: string;
  deployedAt: Date;
  deployedBy: string;
}

export interface VersionRecord extends VersionSummary {
  definition: ProcessDefinition;
  source: string;
}

interface ValidFile {
  file: string;
  source: string;
  definition: ProcessDefinition;
}

/**
 * Validates first, in the validation thread (DefinitionValidationError lists every problem; a full
 * queue is ValidationBusyError), then writes the version.
 */
export async function deployDefinition(db: Knex, source: string, file: string, deployedBy: string): Promise<DeployResult> {
  const { definition, errors } = await validateOffThread(source, file);
  if (!definition) throw new DefinitionValidationError(errors);
  return db.transaction((trx) => insertVersion(trx, { file, source, definition }, deployedBy));
}

async function insertVersion(trx: Knex.Transaction, { definition, source, file }: ValidFile, deployedBy: string): Promise<DeployResult> {
  const hash = hashDefinition(definition);
  // Ensure the parent row exists, then lock it: concurrent deploys of one id queue here, so each
  // reads the latest version number the previous one committed and numbers never collide.
  await trx('definitions')
    .insert({ id: definition.id, name: definition.name, latest_version: 0 })
    .onConflict('id')
    .ignore();
  const parent = await trx('definitions').where({ id: definition.id }).forUpdate().first('latest_version');

  const existing = await trx('definition_versions')
    .where({ definition_id: definition.id, content_hash: hash })
    .first('version', 'definition');
  if (existing) {
    return { version: { id: definition.id, version: existing.version, hash, definition: existing.definition }, created: false };
  }

  const version = Number(parent.latest_version) + 1;
  await trx('definition_versions').insert({
    definition_id: definition.id,
    version,
    content_hash: hash,
    source,
    file: displayFile(file),
    definition: JSON.stringify(definition),
    deployed_by: deployedBy,
  });
  await trx('definitions').where({ id: definition.id }).update({ latest_version: version, name: definition.name });
  return { version: { id: definition.id, version, hash, definition }, created: true };
}

/** Process definition files under `dir`: every .yaml/.yml except `roles.yaml` and the `schema/` folder. */

/**
 * Deploys every definition in a folder, all or nothing: every file is validated first, and one
 * DefinitionValidationError lists the problems of all files; only then are versions written, in
 * one transaction.
 */
export async function deployFolder(
  db: Knex,
  dir: string,
  deployedBy = 'system',
): Promise<Array<DeployResult & { file: string }>> {
  // subProcess targets may be any definition in this folder or one deployed earlier.
  const deployed: string[] = await db('definitions').pluck('id');
  const files = await validateFolder(dir, { ...defaultCatalog(), definitions: deployed });
  const errors = files.flatMap((f) => f.errors);
  if (errors.length > 0) throw new DefinitionValidationError(errors);
  const valid: ValidFile[] = files.map(({ file, source, definition }) => ({ file, source, definition: definition! }));

  return db.transaction(async (trx) => {
    const results: Array<DeployResult & { file: string }> = [];
    for (const v of valid) results.push({ file: v.file, ...(await insertVersion(trx, v, deployedBy)) });
    return results;
  });
}

/** The given version, or the latest when `version` is omitted; null when not deployed. */
export async function getDefinitionVersion(db: Knex, id: string, version?: number): Promise<DefinitionVersion | null> {
  const row = await versionQuery(db, id, version).first('v.version', 'v.content_hash', 'v.definition');
  return row ? { id, version: row.version, hash: row.content_hash, definition: row.definition } : null;
}

/** Like getDefinitionVersion, plus the YAML source and deployment metadata. */
export async function getVersionRecord(db: Knex, id: string, version?: number): Promise<VersionRecord | null> {
  const row = await versionQuery(db, id, version).first('v.*');
  return row
    ? {
        id,
        version: row.version,
        hash: row.content_hash,
        deployedAt: row.deployed_at,
        deployedBy: row.deployed_by,
        definition: row.definition,
        source: row.source,
      }
    : null;
}

function versionQuery(db: Knex, id: string, version?: number) {
  const q = db('definition_versions as v').where('v.definition_id', id);
  if (version !== undefined) return q.andWhere('v.version', version);
  return q.join('definitions as d', function () {
    this.on('d.id', '=', 'v.definition_id').andOn('d.latest_version', '=', 'v.version');
  });
}

export async function listDefinitions(db: Knex): Promise<DefinitionSummary[]> {
  const rows: Array<{
    id: string;
    name: string;
    latest_version: number;
    deployed_at: Date;
    description: string | null;
    version_count: number;
  }> = await db('definitions as d')
    .join('definition_versions as v', function () {
      this.on('v.definition_id', '=', 'd.id').andOn('v.version', '=', 'd.latest_version');
    })
    .select(
      'd.id',
      'd.name',
      'd.latest_version',
      'v.deployed_at',
      db.raw(`v.definition->>'description' as description`),
      db.raw('(select count(*)::int from definition_versions c where c.definition_id = d.id) as version_count'),
    )
    .orderBy('d.id');
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description ?? null,
    latestVersion: r.latest_version,
    versionCount: r.version_count,
    deployedAt: r.deployed_at,
  }));
}

/** Versions of one definition, newest first; empty when the id is unknown. */
export async function listVersions(db: Knex, id: string): Promise<VersionSummary[]> {
  const rows: Array<{ version: number; content_hash: string; deployed_at: Date; deployed_by: string }> = await db('definition_versions')
    .where({ definition_id: id })
    .orderBy('version', 'desc')
    .select('version', 'content_hash', 'deployed_at', 'deployed_by');
  return rows.map((r) => ({ id, version: r.version, hash: r.content_hash, deployedAt: r.deployed_at, deployedBy: r.deployed_by }));
}

/** The file as a person knows it: relative to the working directory when it lies below it. */
function displayFile(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** The latest version of every definition that hears `message` (its `messages` section), by id. */
export async function messageListeners(db: Knex, message: string): Promise<Array<{ dv: DefinitionVersion; listener: MessageListener }>> {
  const rows: Array<{ definition_id: string; version: number; content_hash: string; definition: ProcessDefinition }> = await db('definition_versions as v')
    .join('definitions as d', function () {
      this.on('d.id', '=', 'v.definition_id').andOn('d.latest_version', '=', 'v.version');
    })
    .whereRaw(`jsonb_exists((v.definition->'messages')::jsonb, ?)`, [message])
    .orderBy('v.definition_id')
    .select('v.definition_id', 'v.version', 'v.content_hash', 'v.definition');
  return rows.map((r) => ({
    dv: { id: r.definition_id, version: r.version, hash: r.content_hash, definition: r.definition },
    listener: r.definition.messages![message],
  }));
}

/** Every deployed version's declaration of the document kind `kind` (an upload's allowed types come from them). */
export async function documentKindsNamed(db: Knex, kind: string): Promise<DocumentKind[]> {
  const rows: Array<{ kind: DocumentKind }> = await db('definition_versions')
    .whereRaw(`jsonb_exists((definition->'documents')::jsonb, ?)`, [kind])
    .select(db.raw("definition->'documents'->? as kind", [kind]));
  return rows.map((r) => r.kind);
}
