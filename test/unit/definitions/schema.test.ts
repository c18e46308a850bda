/** The JSON Schema is also editor documentation: it must compile strictly and describe every property. */
import Ajv2020 from 'ajv/dist/2020';
import schema from '../../../definitions/schema/process.schema.json';
import { validateDefinitionSource } from '../../../lib/definitions';
import { roleIds } from '../../../lib/definitions/roles';

type Json = Record<string, unknown>;

function resolve(node: Json): Json {
  const ref = node.$ref as string | undefined;
  return ref ? (schema.$defs as Record<string, Json>)[ref.replace('#/$defs/', '')] : node;
}

/** Every `properties` member anywhere in the schema, with its pointer. */
function allProperties(node: unknown, path = ''): Array<[string, Json]> {
  if (!node || typeof node !== 'object') return [];
  const out: Array<[string, Json]> = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && value && typeof value === 'object') {
      for (const [name, sub] of Object.entries(value as Json)) out.push([`${path}/properties/${name}`, sub as Json]);
    }
    out.push(...allProperties(value, `${path}/${key}`));
  }
  return out;
}

test('is draft 2020-12 with the published $id', () => {
  expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  expect(schema.$id).toBe('https://cauce.dev/schema/process.schema.json');
});

test('compiles in ajv strict mode', () => {
  expect(() => new Ajv2020({ strict: true, strictRequired: false }).compile(schema)).not.toThrow();
});

test('every property has a title and a description (hover docs in editors)', () => {
  const missing = allProperties(schema)
    .filter(([path]) => !path.includes('/if/'))
    .filter(([, sub]) => {
      const target = resolve(sub);
      return !(sub.title ?? target.title) || !(sub.description ?? target.description);
    })
    .map(([path]) => path);
  expect(missing).toEqual([]);
});

test('every object schema closes its properties, so typos are caught', () => {
  const open = Object.entries(schema.$defs as Record<string, Json>)
    .filter(([, def]) => def.properties && def.additionalProperties !== false && !def.allOf)
    .map(([name]) => name);
  expect(open).toEqual([]);
});

describe('step errors are one clear message', () => {
  const catalog = { activities: ['notifications.send'], roles: roleIds() };
  const wrap = (step: string) => `id: x\nname: X\nvariables: { type: object, examples: [{}] }\nstart: a\nsteps:\n  a: ${step}\n`;

  test.each([
    ['{ type: foo }', /^unknown step type 'foo' \(expected one of activity, userTask, wait, choice, parallel, subProcess, setStage, send, end\)$/],
    ['{ activity: notifications.send }', /^missing required property 'type'$/],
    ['{ type: end, next: a }', /^unknown property 'next' \(expected one of type, description, outcome\)$/],
    ['{ type: wait, timer: { after: 1d, nxt: a } }', /^unknown property 'nxt' \(did you mean 'next'\?\)$/],
    ['{ type: userTask, title: t, roles: [consultant], outcomes: { ok: { next: a } }, onOverdue: {} }', /^must set at least one of escalateTo, notify, next$/],
    ['{ type: setStage, stage: 5, next: a }', /^must be a string \(got number 5\)$/],
    ['{ type: userTask, title: 42, roles: [consultant], outcomes: { ok: { next: a } } }', /^must be a string \(got number 42\)$/],
    ['{ type: userTask, title: { es: Verificar }, roles: [consultant], outcomes: { ok: { next: a } } }', /^must be a string \(got a map\)$/],
    ['[]', /^must be an object \(got a list\)$/],
  ])('%s', (step, message) => {
    const { errors } = validateDefinitionSource(wrap(step), 'x.yaml', catalog);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(message);
    expect(errors[0].line).toBe(6);
  });
});
