/**
 * The JSON Schemas a definition embeds: `variables` (with its required `examples`) and the `form` of
 * each user task (with its examples and defaults). Each must be a valid schema, and every example or
 * default must match the schema it sits in, since tests, the UI and prefilled forms use them.
 */
import type Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject } from 'ajv/dist/2020';
import { createSchemaAjv } from '../ajv';
import type { ProcessDefinition, Step } from '../../workflows/model';
import { forEachPattern, mapSchema, patternProblem } from '../../workflows/patterns';
import { SCHEMA_FORMATS } from '../../workflows/schema-policy';
import { didYouMean, pointerSegments } from './errors';
import type { Path, Report } from './semantic';

export function checkEmbeddedSchemas(definition: ProcessDefinition, report: Report): void {
  // A fresh instance per definition: user schemas may carry `$id`s that would collide across definitions.
  const ajv = createSchemaAjv();

  const variables = compileSchema(ajv, definition.variables, ['variables'], 'variables', report);
  const examples = definition.variables.examples;
  // A non-array `examples` is already reported by the meta-schema check above.
  if (examples === undefined || (Array.isArray(examples) && examples.length === 0)) {
    const where: Path = examples === undefined ? ['variables'] : ['variables', 'examples'];
    report(where, "'variables' needs at least one entry in 'examples' (a realistic start payload, used by tests and the UI)", 'key');
  } else if (variables && Array.isArray(examples)) {
    checkExamples(variables, examples, ['variables', 'examples'], 'the variables schema', report);
  }

  forEachStep(definition.steps, ['steps'], (step, path) => {
    if (step.type !== 'userTask' || !step.form) return;
    checkForm(ajv, step.form, [...path, 'form'], report);
  });
}

function checkForm(ajv: Ajv2020, form: Record<string, unknown>, path: Path, report: Report) {
  const validate = compileSchema(ajv, form, path, 'form', report);
  if (!validate) return;
  if (form.examples !== undefined) {
    if (Array.isArray(form.examples)) checkExamples(validate, form.examples, [...path, 'examples'], 'the form', report);
    else report([...path, 'examples'], "'examples' must be an array");
  }
  if (form.default !== undefined) checkExamples(validate, [form.default], [...path, 'default'], 'the form', report, true);
  checkNestedDefaults(ajv, form, path, report);
}

/** Defaults of form fields prefill the UI, so a default the field itself rejects is a bug. */
function checkNestedDefaults(ajv: Ajv2020, schema: Record<string, unknown>, path: Path, report: Report) {
  const children: Array<[Record<string, unknown>, Path]> = [];
  const properties = schema.properties;
  if (properties && typeof properties === 'object') {
    for (const [name, sub] of Object.entries(properties)) if (isObject(sub)) children.push([sub, [...path, 'properties', name]]);
  }
  if (isObject(schema.items)) children.push([schema.items, [...path, 'items']]);
  for (const [sub, subPath] of children) {
    if (sub.default !== undefined && !JSON.stringify(sub).includes('"$ref"')) {
      const validate = tryCompile(ajv, sub);
      if (validate) checkExamples(validate, [sub.default], [...subPath, 'default'], 'its schema', report, true);
    }
    checkNestedDefaults(ajv, sub, subPath, report);
  }
}

type Validate = ReturnType<Ajv2020['compile']>;

function compileSchema(ajv: Ajv2020, schema: Record<string, unknown>, path: Path, what: string, report: Report): Validate | undefined {
  const linear = patternsRunInLinearTime(schema, path, report);
  const policy = followsSchemaPolicy(schema, path, what === 'variables', report);
  if (!linear || !policy) return undefined;
  let valid: boolean;
  try {
    valid = ajv.validateSchema(schema) as boolean;
  } catch (err) {
    // e.g. an unknown `$schema` meta-schema
    report(path, `${what} is not a valid JSON Schema: ${(err as Error).message}`);
    return undefined;
  }
  if (!valid) {
    for (const e of firstPerLocation(ajv.errors ?? [])) {
      report([...path, ...pointerSegments(e.instancePath)], `${what} is not a valid JSON Schema: ${describe(e)}`);
    }
    return undefined;
  }
  try {
    return ajv.compile(schema);
  } catch (err) {
    report(path, `${what} is not a valid JSON Schema: ${(err as Error).message}`);
    return undefined;
  }
}

/** Every validator matches patterns with RE2 (workflows/patterns.ts): one it cannot run is refused here, where it is written. */
function patternsRunInLinearTime(schema: Record<string, unknown>, path: Path, report: Report): boolean {
  let ok = true;
  forEachPattern(schema, (pattern, at, keyword) => {
    const problem = patternProblem(pattern);
    if (!problem) return;
    ok = false;
    // A patternProperties pattern is a key; a `pattern` is a value.
    report([...path, ...at], problem, keyword === 'patternProperties' ? 'key' : 'value');
  });
  return ok;
}

/**
 * Two things the engines would let through but judge in a way the author does not expect (see
 * workflows/schema-policy.ts): a format outside the policy's table, which every engine ignores, and,
 * in start variables, a `required` property with a `default`, which the API fills before `required`
 * is checked while deploy judges the examples unfilled. (A form's required default is fine: nobody
 * fills a form while judging it, and the UI prefills it.)
 */
function followsSchemaPolicy(schema: Record<string, unknown>, path: Path, filledByTheApi: boolean, report: Report): boolean {
  let ok = true;
  mapSchema(schema, (sub, at) => {
    if (typeof sub.format === 'string' && !(sub.format in SCHEMA_FORMATS)) {
      ok = false;
      report([...path, ...at, 'format'], `unknown format '${sub.format}'${didYouMean(sub.format, Object.keys(SCHEMA_FORMATS))}: no validator would check it (formats: ${Object.keys(SCHEMA_FORMATS).join(', ')})`);
    }
    const properties = isObject(sub.properties) ? sub.properties : {};
    for (const name of filledByTheApi && Array.isArray(sub.required) ? sub.required : []) {
      const property = properties[name];
      if (isObject(property) && property.default !== undefined) {
        ok = false;
        report([...path, ...at, 'properties', name, 'default'], `'${name}' is required and has a default: the API fills it in before checking 'required', so a start without it passes while an example without it fails deploy; drop one of the two`, 'key');
      }
    }
    return sub;
  });
  return ok;
}

function tryCompile(ajv: Ajv2020, schema: Record<string, unknown>): Validate | undefined {
  try {
    return ajv.compile(schema);
  } catch {
    return undefined;
  }
}

function checkExamples(validate: Validate, examples: unknown[], path: Path, against: string, report: Report, single = false) {
  examples.forEach((example, i) => {
    if (validate(example)) return;
    const examplePath = single ? path : [...path, i];
    const label = single ? 'default' : `example ${i}`;
    for (const e of firstPerLocation(validate.errors ?? [])) {
      report([...examplePath, ...pointerSegments(e.instancePath)], `${label} does not match ${against}: ${describe(e)}`);
    }
  });
}

/** The meta-schema's anyOf alternatives (and a failing anyOf itself) all report the same spot: the first says it best. */
function firstPerLocation(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => !seen.has(e.instancePath) && (seen.add(e.instancePath), true));
}

function describe(e: ErrorObject): string {
  const where = e.instancePath ? `${e.instancePath} ` : '';
  if (e.keyword === 'additionalProperties') return `${where}has unknown property '${(e.params as { additionalProperty: string }).additionalProperty}'`;
  if (e.keyword === 'enum') return `${where}must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return `${where}${e.message ?? e.keyword}`;
}

function forEachStep(steps: Record<string, Step>, path: Path, fn: (step: Step, path: Path) => void) {
  for (const [id, step] of Object.entries(steps)) {
    fn(step, [...path, id]);
    if (step.type === 'parallel') step.branches.forEach((b, i) => forEachStep(b.steps, [...path, id, 'branches', i, 'steps'], fn));
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
