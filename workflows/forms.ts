/**
 * Task-form validation inside workflow code, by the one schema policy (schema-policy.ts) on
 * @cfworker/json-schema: the policy says why the workflow keeps an interpreting engine where the
 * API, deploy and the UI use ajv. The API reports these messages because it gets them from the
 * workflow's update validator.
 *
 * cfworker's format table becomes the policy's, exactly (no format of its own left), and cfworker
 * builds a backtracking `RegExp` from every `pattern`, where `^(a+)+$` would stall the workflow
 * thread. So before cfworker sees a form, each pattern is taken out of its hands and decided by RE2
 * (patterns.ts):
 * - `pattern: P` becomes a format of its own, checked by RE2;
 * - `patternProperties` keys become, per validation, the literal property names of the data that
 *   RE2 says match them, which a backtracking engine compares in linear time.
 */
import { format as cfworkerFormats, Validator } from '@cfworker/json-schema';
import { FORMAT_DESCRIPTIONS } from './formats';
import { mapSchema, matchesPattern } from './patterns';
import { SCHEMA_DRAFT, SCHEMA_FORMATS, SCHEMA_OPTIONS } from './schema-policy';

export interface FormProblem {
  path: string;
  message: string;
}

for (const name of Object.keys(cfworkerFormats)) if (!(name in SCHEMA_FORMATS)) delete cfworkerFormats[name];
Object.assign(cfworkerFormats, SCHEMA_FORMATS);

/** cfworker's third argument is "stop at the first error". */
const SHORT_CIRCUIT = !SCHEMA_OPTIONS.allErrors;

/** Formats standing for a `pattern`: the prefix, then the pattern. */
const PATTERN_FORMAT = 'x-cauce-pattern:';

interface PreparedForm {
  /** The form with its patterns turned into formats. */
  schema: Record<string, unknown>;
  hasPatternProperties: boolean;
  /** Set when the form has no patternProperties: then one validator serves every validation. */
  validator?: Validator;
}

const prepared = new Map<string, PreparedForm>();

export function validateFormData(form: Record<string, unknown> | undefined, data: unknown): FormProblem[] {
  if (!form) return [];
  const key = JSON.stringify(form);
  let entry = prepared.get(key);
  if (!entry) {
    entry = prepare(form);
    prepared.set(key, entry);
  }
  const validator = entry.validator ?? new Validator(literalPatternProperties(entry.schema, propertyNames(data)) as never, SCHEMA_DRAFT, SHORT_CIRCUIT);
  const result = validator.validate(data);
  if (result.valid) return [];
  // cfworker reports the failing keyword chain; the leaf errors are the ones a person can act on.
  const leaves = result.errors.filter(
    (e) => !['properties', 'patternProperties', 'allOf', 'anyOf', 'oneOf', 'items', 'if', 'then', '$ref'].includes(e.keyword),
  );
  return (leaves.length ? leaves : result.errors).map((e) => ({
    path: e.instanceLocation.replace(/^#/, '') || '/',
    message: describe(e.keyword, e.error),
  }));
}

function prepare(form: Record<string, unknown>): PreparedForm {
  let hasPatternProperties = false;
  const schema = mapSchema(form, (sub) => {
    if (sub.patternProperties && typeof sub.patternProperties === 'object') hasPatternProperties = true;
    if (typeof sub.pattern !== 'string') return sub;
    const { pattern, ...rest } = sub;
    const name = PATTERN_FORMAT + pattern;
    cfworkerFormats[name] ??= (value: string) => matchesPattern(pattern, value);
    // In an allOf, so that a `format` of the schema's own still applies.
    return { ...rest, allOf: [...(Array.isArray(rest.allOf) ? rest.allOf : []), { format: name }] };
  }) as Record<string, unknown>;
  return { schema, hasPatternProperties, validator: hasPatternProperties ? undefined : new Validator(schema as never, SCHEMA_DRAFT, SHORT_CIRCUIT) };
}

/** Each patternProperties key replaced by an alternation of the names in `names` that RE2 matches with it. */
function literalPatternProperties(schema: Record<string, unknown>, names: Set<string>): unknown {
  return mapSchema(schema, (sub) => {
    const patterns = sub.patternProperties as Record<string, unknown> | undefined;
    if (!patterns || typeof patterns !== 'object') return sub;
    const literal = Object.entries(patterns).map(([pattern, subschema], i) => {
      const matching = [...names].filter((name) => matchesPattern(pattern, name)).map(escapeLiteral);
      // Matches nothing when no name does; the leading empty groups keep two keys from colliding.
      const alternation = matching.length ? `^(?:${matching.join('|')})$` : '[^\\s\\S]';
      return ['(?:)'.repeat(i) + alternation, subschema];
    });
    return { ...sub, patternProperties: Object.fromEntries(literal) };
  }) as Record<string, unknown>;
}

/** Every property name anywhere in the data. */
function propertyNames(data: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(data)) for (const item of data) propertyNames(item, names);
  else if (data && typeof data === 'object') {
    for (const [name, value] of Object.entries(data)) {
      names.add(name);
      propertyNames(value, names);
    }
  }
  return names;
}

/** Escapes what is special in a `u`-flag RegExp (where escaping anything else is a syntax error). */
function escapeLiteral(text: string): string {
  return text.replace(/[\^$\\.*+?()[\]{}|/]/g, '\\$&');
}

function describe(keyword: string, error: string): string {
  if (keyword !== 'format') return error;
  const name = /format "(.*)"\.$/s.exec(error)?.[1] ?? '';
  if (name.startsWith(PATTERN_FORMAT)) return `String does not match pattern ${JSON.stringify(name.slice(PATTERN_FORMAT.length))}.`;
  const description = FORMAT_DESCRIPTIONS[name as keyof typeof FORMAT_DESCRIPTIONS];
  return description ? `String is not ${description}.` : error;
}
