/**
 * `pattern` and `patternProperties` in administrators' schemas, matched by RE2 (re2js, a pure-JS port):
 * linear time in the input, so `^(a+)+$` cannot stall the API, the deploy or the workflow thread the
 * way a backtracking engine does. RE2 has no lookaround and no backreferences; a pattern that uses
 * them is refused at deploy (lib/definitions/embedded-schemas.ts) with its location.
 */
import { RE2JS } from 're2js';

const compiled = new Map<string, RE2JS>();

/** The pattern compiled by RE2 (ECMAScript syntax translated first); throws on what RE2 cannot run. */
export function compilePattern(pattern: string): RE2JS {
  let re = compiled.get(pattern);
  if (!re) {
    re = RE2JS.compile(RE2JS.translateRegExp(pattern));
    compiled.set(pattern, re);
  }
  return re;
}

/** Why RE2 cannot run `pattern`, or null when it can. */
export function patternProblem(pattern: string): string | null {
  try {
    compilePattern(pattern);
    return null;
  } catch (err) {
    const message = (err as Error).message.replace(/^error parsing regexp: /, '');
    return `pattern ${JSON.stringify(pattern)} cannot be matched in linear time (RE2 syntax; no lookaround or backreferences): ${message}`;
  }
}

/** JSON Schema's `pattern` semantics: a match anywhere in the string. */
export function matchesPattern(pattern: string, value: string): boolean {
  return compilePattern(pattern).test(value);
}

/**
 * A regular-expression engine in the shape ajv's `code.regExp` option takes (`(pattern, flags) => { test }`),
 * so every ajv instance that sees an administrator's schema matches with RE2.
 */
export const linearRegExp = Object.assign(
  (pattern: string, flags: string) => {
    const re = compilePattern(pattern);
    // ajv caches compiled patterns by this string.
    return { test: (value: string) => re.test(value), toString: () => `/${pattern}/${flags}` };
  },
  { code: 'linearRegExp' },
);

/**
 * The same engine as a RegExp look-alike for JSONata's `RegexEngine` option (`$match`, `$replace`,
 * `/…/` in expressions): `new (pattern)`, `lastIndex`, `exec`, plus `test` and `source`.
 */
function flagsOf(flags: string): number {
  let out = 0;
  if (flags.includes('i')) out |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) out |= RE2JS.MULTILINE;
  if (flags.includes('s')) out |= RE2JS.DOTALL;
  return out;
}

export class LinearRegExp {
  readonly source: string;
  readonly flags: string;
  lastIndex = 0;
  private readonly re: RE2JS;

  constructor(pattern: string | RegExp | LinearRegExp, flags?: string) {
    this.source = typeof pattern === 'string' ? pattern : pattern.source;
    this.flags = flags ?? (typeof pattern === 'string' ? '' : pattern.flags);
    // Throws RE2JSSyntaxException for what RE2 refuses (backreferences, lookaround): never silently different.
    this.re = RE2JS.compile(RE2JS.translateRegExp(this.source), flagsOf(this.flags));
  }

  exec(input: string): (string[] & { index: number; input: string }) | null {
    const matcher = this.re.matcher(input);
    if (this.lastIndex > input.length || !matcher.find(this.lastIndex)) {
      this.lastIndex = 0;
      return null;
    }
    const groups: string[] = [];
    for (let g = 0; g <= matcher.groupCount(); g++) groups.push(matcher.group(g) ?? (undefined as unknown as string));
    this.lastIndex = matcher.end();
    return Object.assign(groups, { index: matcher.start(), input });
  }

  test(input: string): boolean {
    return this.re.matcher(input).find();
  }
}

export type SchemaPath = Array<string | number>;

/** Keywords whose value is one subschema. */
const SCHEMA_KEYWORDS = ['not', 'if', 'then', 'else', 'items', 'additionalItems', 'additionalProperties', 'unevaluatedItems', 'unevaluatedProperties', 'contains', 'propertyNames'];
/** Keywords whose value is a list of subschemas. */
const LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'];
/** Keywords whose value maps names to subschemas. */
const MAP_KEYWORDS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];

/**
 * A copy of `schema` with `change` applied to every subschema, innermost first (`change` gets the
 * subschema with its own subschemas already changed, and its path). Walks subschemas only, never
 * `const`, `enum`, `default` or `examples`, whose values are data.
 */
export function mapSchema(
  schema: unknown,
  change: (schema: Record<string, unknown>, path: SchemaPath) => Record<string, unknown>,
  path: SchemaPath = [],
): unknown {
  if (!isObject(schema)) return schema;
  const out: Record<string, unknown> = { ...schema };
  for (const keyword of SCHEMA_KEYWORDS) {
    if (isObject(schema[keyword])) out[keyword] = mapSchema(schema[keyword], change, [...path, keyword]);
  }
  for (const keyword of LIST_KEYWORDS) {
    const list = schema[keyword];
    if (Array.isArray(list)) out[keyword] = list.map((sub, i) => mapSchema(sub, change, [...path, keyword, i]));
  }
  for (const keyword of MAP_KEYWORDS) {
    const map = schema[keyword];
    if (isObject(map)) out[keyword] = Object.fromEntries(Object.entries(map).map(([name, sub]) => [name, mapSchema(sub, change, [...path, keyword, name])]));
  }
  return change(out, path);
}

/** Calls `visit` for each pattern in a schema: each `pattern` value and each `patternProperties` key, with its path. */
export function forEachPattern(schema: unknown, visit: (pattern: string, path: SchemaPath, keyword: 'pattern' | 'patternProperties') => void): void {
  mapSchema(schema, (sub, path) => {
    if (typeof sub.pattern === 'string') visit(sub.pattern, [...path, 'pattern'], 'pattern');
    if (isObject(sub.patternProperties)) {
      for (const key of Object.keys(sub.patternProperties)) visit(key, [...path, 'patternProperties', key], 'patternProperties');
    }
    return sub;
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
