/**
 * The definitions store against a real Postgres: versioning by content hash, concurrency, all-or-nothing folders.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { freshDatabase } from '../support/database';
import { rejectionOf } from '../support/errors';
import { DefinitionValidationError } from '../../lib/definitions/errors';
import { deployDefinition, deployFolder, getDefinitionVersion, getVersionRecord, listDefinitions, listVersions } from '../../lib/definitions/store';

let env: Awaited<ReturnType<typeof freshDatabase>>;
let db: Knex;
const tmpDirs: string[] = [];

beforeAll(async () => {
  env = await freshDatabase();
  db = env.db;
});
afterAll(async () => {
  await env?.drop();
  await Promise.all(tmpDirs.map((d) => fs.rm(d, { recursive: true, force: true })));
});

/** A small valid definition; `title` varies the content (and so the hash). */
function source(id: string, title = 'Call the client'): string {
  return `id: ${id}
name: Store test ${id}
description: Used by the definitions store tests
roles: [sales]
stages: [contacted, closed]
variables:
  type: object
  required: [client]
  properties:
    client:
      type: object
      properties: { name: { type: string } }
  examples:
    - { client: { name: Panadería La Espiga } }
start: callClient
steps:
  callClient:
    type: userTask
    title: ${JSON.stringify(title)}
    roles: [sales]
    outcomes:
      done: { next: markContacted }
  markContacted:
    type: setStage
    stage: contacted
    next: finish
  finish:
    type: end
    outcome: won
`;
}

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cauce-defs-'));
  tmpDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), content);
  }
  return dir;
}

describe('deployDefinition', () => {
  it('unchanged content returns the same version; changed content creates the next one', async () => {
    const first = await deployDefinition(db, source('alpha'), 'alpha.yaml', 'alice');
    expect(first.created).toBe(true);
    expect(first.version).toMatchObject({ id: 'alpha', version: 1, definition: { id: 'alpha', start: 'callClient' } });
    expect(first.version.hash).toEqual(expect.any(String));

    const again = await deployDefinition(db, source('alpha'), 'alpha.yaml', 'bob');
    expect(again).toEqual({ created: false, version: first.version });

    const changed = await deployDefinition(db, source('alpha', 'Call the client again'), 'alpha.yaml', 'bob');
    expect(changed.created).toBe(true);
    expect(changed.version.version).toBe(2);
    expect(changed.version.hash).not.toBe(first.version.hash);

    expect(await getDefinitionVersion(db, 'alpha')).toMatchObject({ version: 2, hash: changed.version.hash });
    expect(await getDefinitionVersion(db, 'alpha', 1)).toEqual(first.version);
    expect(await getDefinitionVersion(db, 'alpha', 3)).toBeNull();
    expect(await getDefinitionVersion(db, 'nope')).toBeNull();
    expect(await getVersionRecord(db, 'alpha', 1)).toMatchObject({ source: source('alpha'), deployedBy: 'alice' });
    expect((await listVersions(db, 'alpha')).map((v) => [v.version, v.deployedBy])).toEqual([
      [2, 'bob'],
      [1, 'alice'],
    ]);
  });

  it('concurrent deploys of one id get distinct, consecutive versions', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => deployDefinition(db, source('beta', `Call #${i}`), 'beta.yaml', `user${i}`)),
    );
    expect(results.every((r) => r.created)).toBe(true);
    expect(results.map((r) => r.version.version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await db('definitions').where({ id: 'beta' }).first()).latest_version).toBe(6);
  });

  it('concurrent deploys of the same content create exactly one version', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => deployDefinition(db, source('gamma'), 'gamma.yaml', 'ci')));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.version.version))).toEqual(new Set([1]));
  });

  it('an invalid source throws DefinitionValidationError and writes nothing', async () => {
    await expect(deployDefinition(db, 'id: broken\nsteps: [', 'broken.yaml', 'alice')).rejects.toBeInstanceOf(DefinitionValidationError);
    expect(await db('definitions').where({ id: 'broken' })).toHaveLength(0);
  });
});

describe('deployFolder', () => {
  it('deploys every definition, skipping roles.yaml and schema/', async () => {
    const dir = await folder({
      'one.yaml': source('folder-one'),
      'two.yaml': source('folder-two'),
      'roles.yaml': 'roles: [{ id: sales, name: Sales }]\n',
      'schema/ignored.yaml': 'not: a definition\n',
    });
    const results = await deployFolder(db, dir);
    expect(results.map((r) => [r.version.id, r.version.version, r.created])).toEqual([
      ['folder-one', 1, true],
      ['folder-two', 1, true],
    ]);
    expect((await deployFolder(db, dir)).every((r) => !r.created)).toBe(true);

    const listed = await listDefinitions(db);
    expect(listed.find((d) => d.id === 'folder-one')).toMatchObject({
      name: 'Store test folder-one',
      latestVersion: 1,
      versionCount: 1,
      deployedAt: expect.any(Date),
    });

    // A definition deployed again with new content is listed at its latest version, counting both.
    await deployDefinition(db, source('folder-two', 'Call the client again'), 'two.yaml', 'bob');
    expect((await listDefinitions(db)).find((d) => d.id === 'folder-two')).toMatchObject({ latestVersion: 2, versionCount: 2 });
  });

  it('a broken file deploys nothing, and the error lists every broken file', async () => {
    const dir = await folder({
      'good.yaml': source('folder-good'),
      'bad-syntax.yaml': 'id: bad\nsteps: [\n',
      'bad-shape.yaml': 'id: bad-shape\nname: 3\n',
    });
    const err = await rejectionOf(deployFolder(db, dir), DefinitionValidationError);
    const files = new Set(err.errors.map((e) => path.basename(e.file)));
    expect(files).toEqual(new Set(['bad-syntax.yaml', 'bad-shape.yaml']));
    expect(await db('definitions').whereIn('id', ['folder-good', 'bad', 'bad-shape'])).toHaveLength(0);
  });

  it('two files with one id are refused', async () => {
    const dir = await folder({ 'a.yaml': source('twin'), 'b.yaml': source('twin', 'Other title') });
    await expect(deployFolder(db, dir)).rejects.toBeInstanceOf(DefinitionValidationError);
    expect(await db('definitions').where({ id: 'twin' })).toHaveLength(0);
  });
});
