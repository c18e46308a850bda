/**
 * Content hash of a definition. It is taken over the parsed value, not the YAML text, so comments,
 * key order and formatting do not create a new version, while any change of meaning does.
 */
import { createHash } from 'node:crypto';
import type { ProcessDefinition } from '../../workflows/model';

export function hashDefinition(definition: ProcessDefinition): string {
  return createHash('sha256').update(canonicalJson(definition)).digest('hex');
}

/** JSON with object keys sorted at every level; `undefined` members are dropped, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
