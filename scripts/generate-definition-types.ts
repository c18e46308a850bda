/**
 * `npx tsx scripts/generate-definition-types.ts`: writes workflows/definition-types.ts, the TypeScript
 * types of a process definition, from definitions/schema/process.schema.json, so the schema that
 * checks a definition and the types the interpreter reads cannot drift.
 * test/unit/definitions/generated-types.test.ts fails when the file is stale.
 *
 * json-schema-to-typescript reads a copy of the schema prepared for type names:
 * - `title`s are for editors (the YAML language server shows them); the generator would make a type
 *   alias of each, so only the definitions in TYPE_NAMES keep one, under the name code imports;
 * - a `$ref` loses its sibling description, which would make the generator declare a copy of the
 *   referenced type;
 * - `step` picks its shape with `if`/`then` on `type`, which generators do not read: it becomes the
 *   discriminated union of the step types;
 * - an embedded JSON Schema is `Record<string, unknown>` and an expression `unknown`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import schema from '../definitions/schema/process.schema.json';

export const GENERATED_FILE = path.join(__dirname, '..', 'workflows', 'definition-types.ts');

/** `$defs` key → the type name. */
const TYPE_NAMES: Record<string, string> = {
  activityStep: 'ActivityStep',
  userTaskStep: 'UserTaskStep',
  waitStep: 'WaitStep',
  choiceStep: 'ChoiceStep',
  parallelStep: 'ParallelStep',
  subProcessStep: 'SubProcessStep',
  setStageStep: 'SetStageStep',
  sendStep: 'SendStep',
  messageListener: 'MessageListener',
  endStep: 'EndStep',
  branch: 'Branch',
  retry: 'RetrySpec',
  eventMap: 'EventMap',
  expression: 'Expr',
  duration: 'DurationSpec',
  inputMapping: 'InputMapping',
  transition: 'Transition',
  steps: 'Steps',
};

/** Keywords whose value maps names (not keywords) to subschemas. */
const NAME_MAPS = new Set(['properties', '$defs', 'patternProperties', 'dependentSchemas']);

function forTypes(node: unknown, namesAreKeys = false): unknown {
  if (Array.isArray(node)) return node.map((item) => forTypes(item));
  if (!node || typeof node !== 'object') return node;
  const object = node as Record<string, unknown>;
  if (namesAreKeys) return Object.fromEntries(Object.entries(object).map(([name, sub]) => [name, forTypes(sub)]));
  if (typeof object.$ref === 'string') return { $ref: object.$ref };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (key === 'title') continue;
    out[key] = key === 'enum' || key === 'const' || key === 'examples' ? value : forTypes(value, NAME_MAPS.has(key));
  }
  return out;
}

export async function generateDefinitionTypes(): Promise<string> {
  const prepared = forTypes(schema) as JSONSchema & { $defs: Record<string, JSONSchema> };
  prepared.title = 'ProcessDefinition';
  for (const [key, name] of Object.entries(TYPE_NAMES)) prepared.$defs[key].title = name;
  const stepTypes = Object.keys(TYPE_NAMES).filter((key) => key.endsWith('Step'));
  prepared.$defs.step = { title: 'Step', tsType: stepTypes.map((key) => TYPE_NAMES[key]).join(' | ') };
  prepared.$defs.jsonSchema.tsType = 'Record<string, unknown>';
  prepared.$defs.expression.tsType = 'unknown';
  const outcomes = prepared.$defs.userTaskStep.properties!.outcomes;
  (outcomes.additionalProperties as JSONSchema).title = 'Outcome';
  return compile(prepared, 'ProcessDefinition', {
    bannerComment: [
      '/* Generated from definitions/schema/process.schema.json by scripts/generate-definition-types.ts: do not edit.',
      ' * Change the schema, then run `npx tsx scripts/generate-definition-types.ts`. Code imports these through workflows/model.ts. */',
    ].join('\n'),
    additionalProperties: false,
    ignoreMinAndMaxItems: true,
    unreachableDefinitions: true,
    format: true,
    style: { singleQuote: true, printWidth: 120 },
  });
}

if (require.main === module) {
  generateDefinitionTypes().then(
    (source) => {
      writeFileSync(GENERATED_FILE, source);
      console.log(`wrote ${path.relative(process.cwd(), GENERATED_FILE)}`);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
