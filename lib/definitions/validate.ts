/**
 * Definition validation: YAML → JSON Schema (definitions/schema/process.schema.json) → semantic checks.
 * Each stage runs only when the previous one passed, so a person sees the root cause, not its echoes.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import { createSchemaAjv } from '../ajv';
import type { ProcessDefinition } from '../../workflows/model';
import schema from '../../definitions/schema/process.schema.json';
import { DefinitionValidationError, didYouMean, pointer, pointerSegments, sortDefinitionErrors, type DefinitionError } from './errors';
import { countSteps, MAX_DEFINITION_STEPS, sizeError, stepsMessage } from './limits';
import { loadDefinitionSource, type LoadedDefinitionSource } from './load';
import { activityCatalog } from './activity-catalog';
import { calendarIds } from './calendars';
import { roleIds } from './roles';
import { templateCatalog } from '../mail/templates';
import { checkSemantics, type DefinitionCatalog } from './semantic';

export type { DefinitionCatalog } from './semantic';

export interface ValidationResult {
  /** Set only when there are no errors. */
  definition?: ProcessDefinition;
  errors: DefinitionError[];
}

export function validateDefinitionSource(source: string, file: string, catalog?: DefinitionCatalog): ValidationResult {
  // Before parsing: the YAML of an oversized definition is not worth reading.
  const tooLarge = sizeError(source, file);
  if (tooLarge) return { errors: [tooLarge] };
  return validateLoaded(loadDefinitionSource(source, file), catalog);
}

/** For callers that deploy: the definition, or a DefinitionValidationError carrying every located error. */
export function assertValidDefinitionSource(source: string, file: string, catalog?: DefinitionCatalog): ProcessDefinition {
  const { definition, errors } = validateDefinitionSource(source, file, catalog);
  if (!definition) throw new DefinitionValidationError(errors);
  return definition;
}

function validateLoaded(loaded: LoadedDefinitionSource, catalog?: DefinitionCatalog): ValidationResult {
  const tooLarge = sizeError(loaded.source, loaded.file);
  if (tooLarge) return { errors: [tooLarge] };
  if (loaded.errors.length) return { errors: sortDefinitionErrors(loaded.errors) };
  const steps = countSteps(loaded.value);
  if (steps > MAX_DEFINITION_STEPS) return { errors: [loaded.errorAt('/steps', stepsMessage(steps), 'key')] };
  const schemaErrors = checkAgainstSchema(loaded);
  if (schemaErrors.length) return { errors: schemaErrors };
  const definition = loaded.value as ProcessDefinition;
  const errors = checkSemantics(definition, catalog ?? defaultCatalog()).map((p) => loaded.errorAt(p.path, p.message, p.anchor));
  return errors.length ? { errors: sortDefinitionErrors(dedupe(errors)) } : { definition, errors: [] };
}

/**
 * Validates a file, or every .yaml/.yml under a folder (skipping `schema/`, `roles.yaml` and `calendars.yaml`). In a folder,
 * the ids of its definitions are the known subProcess targets (added to `catalog.definitions`).
 */
export async function validatePath(path: string, catalog?: DefinitionCatalog): Promise<Array<{ file: string; errors: DefinitionError[] }>> {
  if (!(await stat(path)).isDirectory()) {
    const loaded = loadDefinitionSource(await readFile(path, 'utf8'), path);
    return [{ file: path, errors: validateLoaded(loaded, catalog ?? defaultCatalog()).errors }];
  }
  return (await validateFolder(path, catalog)).map(({ file, errors }) => ({ file, errors }));
}

export interface FolderFile extends ValidationResult {
  file: string;
  source: string;
}

/**
 * Every definition file below `dir` (skipping `schema/`, `roles.yaml` and `calendars.yaml`), validated together:
 * two files with one id are an error, and the folder's ids are known subProcess targets.
 */
export async function validateFolder(dir: string, catalog?: DefinitionCatalog): Promise<FolderFile[]> {
  const base = catalog ?? defaultCatalog();
  const files = await definitionFiles(dir);
  const loaded = await Promise.all(files.map(async (f) => loadDefinitionSource(await readFile(f, 'utf8'), f)));

  const idOwner = new Map<string, string>();
  const duplicates = new Map<string, DefinitionError>();
  for (const l of loaded) {
    const id = (l.value as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string') continue;
    const owner = idOwner.get(id);
    if (owner) duplicates.set(l.file, l.errorAt('/id', `definition id '${id}' is already used by ${owner}`));
    else idOwner.set(id, l.file);
  }
  const folderCatalog = { ...base, definitions: [...new Set([...(base.definitions ?? []), ...idOwner.keys()])] };
  return loaded.map((l) => {
    const result = validateLoaded(l, folderCatalog);
    const duplicate = duplicates.get(l.file);
    if (!duplicate) return { file: l.file, source: l.source, ...result };
    return { file: l.file, source: l.source, errors: sortDefinitionErrors([duplicate, ...result.errors]) };
  });
}

async function definitionFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'schema' && !entry.name.startsWith('.') && entry.name !== 'node_modules') out.push(...(await definitionFiles(full)));
    } else if (/\.ya?ml$/.test(entry.name) && !CATALOG_FILES.includes(basename(entry.name))) {
      out.push(full);
    }
  }
  return out;
}

/** Files of a definitions folder that are catalogs, not processes. */
export const CATALOG_FILES = ['roles.yaml', 'calendars.yaml'];

/** Activities (lib/definitions/activity-catalog.ts), roles (definitions/roles.yaml), calendars (definitions/calendars.yaml), e-mail templates (definitions/templates/). */
export function defaultCatalog(): DefinitionCatalog {
  return { activities: activityNames(), roles: roleIds(), calendars: calendarIds(), templates: templateCatalog() };
}

function activityNames(): string[] {
  return Object.keys(activityCatalog);
}

// ---- JSON Schema stage ----

let compiled: ValidateFunction | undefined;

function processSchema(): ValidateFunction {
  // verbose: error messages need the failing data and its parent schema (allowed properties, step types).
  compiled ??= createSchemaAjv({ ownSchema: true }).compile(schema);
  return compiled;
}

const STEP_TYPES: string[] = schema.$defs.step.properties.type.enum;

const PATTERN_NAMES: Record<string, string> = {
  [schema.$defs.stepId.pattern]: 'camelCase (e.g. verifyClient)',
  [schema.properties.id.pattern]: 'kebab-case (lowercase words joined by -, e.g. commercial-support)',
  [schema.$defs.variableName.pattern]: 'a variable name (letters, digits, _)',
};

function checkAgainstSchema(loaded: LoadedDefinitionSource): DefinitionError[] {
  const validate = processSchema();
  if (validate(loaded.value)) return [];
  const ajvErrors = withoutTypoEchoes(validate.errors ?? []);
  const errors = ajvErrors.flatMap((e) => toDefinitionError(loaded, e));
  return sortDefinitionErrors(dedupe(errors));
}

/** `nxt: a` is one mistake: keep "unknown property 'nxt' (did you mean 'next'?)", drop "missing 'next'". */
function withoutTypoEchoes(errors: ErrorObject[]): ErrorObject[] {
  const typos = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'additionalProperties') continue;
    const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
    const suggestion = /did you mean '(.+)'/.exec(didYouMean(String((e.params as Record<string, unknown>).additionalProperty), allowed))?.[1];
    if (suggestion) typos.add(`${e.instancePath}#${suggestion}`);
  }
  return errors.filter((e) => !(e.keyword === 'required' && typos.has(`${e.instancePath}#${String((e.params as Record<string, unknown>).missingProperty)}`)));
}

function toDefinitionError(loaded: LoadedDefinitionSource, e: ErrorObject): DefinitionError[] {
  const at = e.instancePath;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    // Echoes of the real error underneath: an `if` whose `then` failed, a propertyNames wrapper.
    case 'if':
      return [];
    case 'propertyNames':
      return [];
    case 'additionalProperties': {
      const property = String(params.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      const hint = didYouMean(property, allowed) || (allowed.length ? ` (expected one of ${allowed.join(', ')})` : '');
      return [loaded.errorAt(at + pointer([property]), `unknown property '${property}'${hint}`, 'key')];
    }
    case 'required':
      return [loaded.errorAt(at, `missing required property '${String(params.missingProperty)}'${stepLabel(loaded, at)}`, 'key')];
    case 'enum':
      if (at.endsWith('/type') && JSON.stringify(e.schema) === JSON.stringify(STEP_TYPES)) {
        return [loaded.errorAt(at, `unknown step type '${String(e.data)}' (expected one of ${STEP_TYPES.join(', ')})`)];
      }
      return [loaded.errorAt(at, `must be one of ${(e.schema as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`)];
    case 'pattern': {
      // Inside propertyNames, ajv reports the key itself (`propertyName`) at the parent's path.
      const name = e.propertyName;
      const what = PATTERN_NAMES[String(params.pattern)] ?? `match ${String(params.pattern)}`;
      if (name !== undefined) return [loaded.errorAt(at + pointer([name]), `'${name}' must be ${what}`, 'key')];
      return [loaded.errorAt(at, `'${String(e.data)}' must be ${what}`)];
    }
    case 'type':
      return [loaded.errorAt(at, `must be ${article(String(params.type))} (got ${kindOf(e.data)})`)];
    case 'minProperties': {
      const properties = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      return [loaded.errorAt(at, properties.length ? `must set at least one of ${properties.join(', ')}` : 'must have at least one entry', 'key')];
    }
    case 'minItems':
      return [loaded.errorAt(at, `must have at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`, 'key')];
    default:
      return [loaded.errorAt(at, e.message ?? e.keyword)];
  }
}

function stepLabel(loaded: LoadedDefinitionSource, at: string): string {
  const value = pick(loaded.value, at) as { type?: unknown } | undefined;
  return /\/steps\/[^/]+$/.test(at) && typeof value?.type === 'string' ? ` for ${article(value.type)} step` : '';
}

function pick(value: unknown, path: string): unknown {
  let node = value;
  for (const s of pointerSegments(path)) node = (node as Record<string, unknown> | undefined)?.[s];
  return node;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function dedupe(errors: DefinitionError[]): DefinitionError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.line}:${e.column}:${e.path}:${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
