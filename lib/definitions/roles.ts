/** The role catalog (`definitions/roles.yaml`): the only roles a definition may use. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface Role {
  /** kebab-case, stable: users and open tasks reference it. */
  id: string;
  name: string;
  description: string;
}

export const ROLES_FILE = join(__dirname, '..', '..', 'definitions', 'roles.yaml');

const ROLE_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Reads and checks the catalog; throws naming the file and the bad entry, since every process depends on it. */
export function loadRoleCatalog(file: string = ROLES_FILE): Role[] {
  const doc = parse(readFileSync(file, 'utf8'), { uniqueKeys: true }) as { roles?: unknown } | null;
  if (!doc || !Array.isArray(doc.roles)) throw new Error(`${file}: expected a top-level 'roles' list`);
  const seen = new Set<string>();
  return doc.roles.map((entry: unknown, i: number) => {
    const role = entry as Partial<Role> | null;
    const where = `${file}: roles[${i}]`;
    if (!role || typeof role !== 'object') throw new Error(`${where}: expected an object`);
    const extra = Object.keys(role).filter((k) => !['id', 'name', 'description'].includes(k));
    if (extra.length) throw new Error(`${where}: unknown propert${extra.length === 1 ? 'y' : 'ies'} ${extra.join(', ')}`);
    if (typeof role.id !== 'string' || !ROLE_ID.test(role.id)) throw new Error(`${where}: id must be kebab-case`);
    if (typeof role.name !== 'string' || !role.name) throw new Error(`${where} (${role.id}): name is required`);
    if (typeof role.description !== 'string' || !role.description) throw new Error(`${where} (${role.id}): description is required`);
    if (seen.has(role.id)) throw new Error(`${where}: duplicate role id '${role.id}'`);
    seen.add(role.id);
    return { id: role.id, name: role.name, description: role.description };
  });
}

let cached: Role[] | undefined;

/** The catalog from definitions/roles.yaml, read once (lazily, so importing this module never does I/O). */
export function roleCatalog(): Role[] {
  return (cached ??= loadRoleCatalog());
}

export function roleIds(): string[] {
  return roleCatalog().map((r) => r.id);
}
