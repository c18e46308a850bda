/**
 * One table of (schema, data) cases through every engine that judges a form or start variables, all
 * set up by workflows/schema-policy.ts: the API's ajv, deploy (an example checked against its form),
 * the workflow's cfworker validator and the UI's rjsf validator. Each case states the verdict, so a
 * change in one engine's setup (a format it keeps of its own, a draft, a tolerance) fails here by
 * name instead of surfacing as a form the UI accepts and the workflow refuses.
 */
import { callInThread } from '../../support/in-thread';

type Schema = Record<string, unknown>;

const VALIDATORS = require.resolve('./validators');
const ENGINES = ['api', 'deploy', 'workflow', 'ui'];

const obj = (properties: Schema, extra: Schema = {}): Schema => ({ type: 'object', properties, ...extra });

/** [what, schema, data, valid] */
const CASES: Array<[string, Schema, unknown, boolean]> = [
  // Domain formats
  ['rut with dots and dash, right check digit', obj({ rut: { type: 'string', format: 'rut' } }), { rut: '76.086.428-5' }, true],
  ['rut compact, check digit K', obj({ rut: { type: 'string', format: 'rut' } }), { rut: '10000013K' }, true],
  ['rut with a wrong check digit', obj({ rut: { type: 'string', format: 'rut' } }), { rut: '76.086.428-4' }, false],
  ['rut that is not one', obj({ rut: { type: 'string', format: 'rut' } }), { rut: 'abc' }, false],
  ['a format applies to strings only: a number passes format rut', obj({ rut: { format: 'rut' } }), { rut: 76086428 }, true],
  ['nit with its check digit', obj({ nit: { type: 'string', format: 'nit' } }), { nit: '900.123.456-8' }, true],
  ['nit with a wrong check digit', obj({ nit: { type: 'string', format: 'nit' } }), { nit: '900.123.456-7' }, false],
  ['email as the activities accept it', obj({ email: { type: 'string', format: 'email' } }), { email: 'ana+ventas@cafe.cl' }, true],
  ['email without @', obj({ email: { type: 'string', format: 'email' } }), { email: 'no-at-sign.cl' }, false],
  ['email with two @', obj({ email: { type: 'string', format: 'email' } }), { email: 'a@b@c.cl' }, false],
  // Standard formats: one implementation for every engine
  ['uuid', obj({ id: { type: 'string', format: 'uuid' } }), { id: '6ba7b810-9dad-11d1-80b4-00c04fd430c8' }, true],
  ['uuid with a urn: prefix (ajv-formats would take it; Postgres would not)', obj({ id: { type: 'string', format: 'uuid' } }), { id: 'urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8' }, false],
  ['date on a leap day', obj({ d: { type: 'string', format: 'date' } }), { d: '2024-02-29' }, true],
  ['date that does not exist', obj({ d: { type: 'string', format: 'date' } }), { d: '2023-02-29' }, false],
  ['date-time with a zone', obj({ at: { type: 'string', format: 'date-time' } }), { at: '2024-05-01T10:00:00Z' }, true],
  ['date-time without a zone', obj({ at: { type: 'string', format: 'date-time' } }), { at: '2024-05-01T10:00:00' }, false],
  ['absolute uri', obj({ url: { type: 'string', format: 'uri' } }), { url: 'https://docs.cauce.dev/a?b=1' }, true],
  ['relative reference is not a uri', obj({ url: { type: 'string', format: 'uri' } }), { url: 'docs/a' }, false],
  // Patterns (RE2, unanchored like JSON Schema)
  ['pattern anchored, matching', obj({ currency: { type: 'string', pattern: '^[A-Z]{3}$' } }), { currency: 'CLP' }, true],
  ['pattern anchored, wrong case', obj({ currency: { type: 'string', pattern: '^[A-Z]{3}$' } }), { currency: 'clp' }, false],
  ['pattern matches anywhere when not anchored', obj({ code: { type: 'string', pattern: 'b' } }), { code: 'abc' }, true],
  ['pattern with a unicode class', obj({ name: { type: 'string', pattern: '^\\p{L}+$' } }), { name: 'Muñoz' }, true],
  ['patternProperties: a matching key is checked', { type: 'object', patternProperties: { '^n_': { type: 'number' } } }, { n_total: 'x' }, false],
  ['patternProperties: other keys are not', { type: 'object', patternProperties: { '^n_': { type: 'number' } } }, { total: 'x' }, true],
  // required
  ['required present', obj({ a: { type: 'string' } }, { required: ['a'] }), { a: 'x' }, true],
  ['required missing', obj({ a: { type: 'string' } }, { required: ['a'] }), {}, false],
  ['required present as null is present', obj({ a: {} }, { required: ['a'] }), { a: null }, true],
  ['required inside array items', obj({ docs: { type: 'array', items: { type: 'object', required: ['url'] } } }), { docs: [{ url: 'u' }, {}] }, false],
  ['a default does not fill a missing property that is optional', obj({ plan: { type: 'string', default: 'free' } }), {}, true],
  // enum and const
  ['enum member', obj({ channel: { enum: ['ecommerce', 'landing'] } }), { channel: 'landing' }, true],
  ['enum non-member', obj({ channel: { enum: ['ecommerce', 'landing'] } }), { channel: 'Landing' }, false],
  ['enum of strings refuses the number', obj({ level: { enum: ['1', '2'] } }), { level: 1 }, false],
  ['enum compares objects by value', obj({ pick: { enum: [{ a: 1 }] } }), { pick: { a: 1 } }, true],
  ['const', obj({ accepted: { const: true } }), { accepted: false }, false],
  // additionalProperties
  ['additionalProperties false, only declared', obj({ a: {} }, { additionalProperties: false }), { a: 1 }, true],
  ['additionalProperties false, an extra one', obj({ a: {} }, { additionalProperties: false }), { a: 1, b: 2 }, false],
  ['additionalProperties as a schema', obj({ a: {} }, { additionalProperties: { type: 'string' } }), { a: 1, b: 2 }, false],
  ['additionalProperties false does not see patternProperties keys as extra', { type: 'object', patternProperties: { '^x-': {} }, additionalProperties: false }, { 'x-ui': 1 }, true],
  // numbers vs strings: no coercion
  ['a numeric string is not a number', obj({ n: { type: 'number' } }), { n: '5' }, false],
  ['a number is not a string', obj({ s: { type: 'string' } }), { s: 5 }, false],
  ['"true" is not a boolean', obj({ b: { type: 'boolean' } }), { b: 'true' }, false],
  ['5.0 is an integer', obj({ i: { type: 'integer' } }), { i: 5.0 }, true],
  ['5.5 is not an integer', obj({ i: { type: 'integer' } }), { i: 5.5 }, false],
  ['null is not a string', obj({ s: { type: 'string' } }), { s: null }, false],
  ['a type list takes null', obj({ s: { type: ['string', 'null'] } }), { s: null }, true],
  ['exclusiveMinimum 0 refuses 0', obj({ price: { type: 'number', exclusiveMinimum: 0 } }), { price: 0 }, false],
  ['money: 19.99 is a multiple of 0.01 (not in floating point)', obj({ price: { type: 'number', multipleOf: 0.01 } }), { price: 19.99 }, true],
  ['money: 0.07 is a multiple of 0.01 (0.07 / 0.01 = 7.000000000000001)', obj({ price: { type: 'number', multipleOf: 0.01 } }), { price: 0.07 }, true],
  ['money: 0.075 is not a multiple of 0.01', obj({ price: { type: 'number', multipleOf: 0.01 } }), { price: 0.075 }, false],
  ['1e-10 is not a multiple of 1 (a tolerance would say it is)', obj({ n: { type: 'number', multipleOf: 1 } }), { n: 1e-10 }, false],
  // strings count code points
  ['maxLength counts an emoji as one', obj({ s: { type: 'string', maxLength: 1 } }), { s: '😀' }, true],
  ['minLength', obj({ s: { type: 'string', minLength: 2 } }), { s: 'a' }, false],
  // draft 2020-12 keywords (a draft-07 engine would ignore them and accept)
  ['dependentRequired', { type: 'object', dependentRequired: { invoice: ['nit'] } }, { invoice: true }, false],
  ['prefixItems', obj({ pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }] } }), { pair: ['a', 'b'] }, false],
  ['unevaluatedProperties', { type: 'object', allOf: [{ properties: { a: {} } }], unevaluatedProperties: false }, { a: 1, b: 1 }, false],
  ['$defs and $ref', { type: 'object', $defs: { rut: { type: 'string', format: 'rut' } }, properties: { rut: { $ref: '#/$defs/rut' } } }, { rut: '76.086.428-4' }, false],
  // conditionals and combinators
  ['if/then: company needs a RUT', obj({ kind: {}, rut: {} }, { if: { properties: { kind: { const: 'company' } } }, then: { required: ['rut'] } }), { kind: 'company' }, false],
  ['if/then: a person does not', obj({ kind: {}, rut: {} }, { if: { properties: { kind: { const: 'company' } } }, then: { required: ['rut'] } }), { kind: 'person' }, true],
  ['oneOf with both matching', obj({ v: { oneOf: [{ type: 'number' }, { type: 'integer' }] } }), { v: 1 }, false],
  ['anyOf', obj({ v: { anyOf: [{ type: 'string', format: 'rut' }, { type: 'string', format: 'nit' }] } }), { v: '900.123.456-8' }, true],
  ['uniqueItems compares by value', obj({ tags: { type: 'array', uniqueItems: true } }), { tags: [{ a: 1 }, { a: 1 }] }, false],
  // annotations are not keywords
  ['x- annotations and unknown keywords are ignored', obj({ a: { type: 'string', 'x-widget': 'textarea', 'ui:help': 'Write' } }), { a: 'x' }, true],
];

describe.each(ENGINES)('%s', (engine) => {
  let verdicts: boolean[];
  beforeAll(async () => {
    verdicts = await callInThread<boolean[]>(VALIDATORS, 'verdicts', [engine, CASES.map(([, schema, data]) => [schema, data])]);
  });

  test.each(CASES.map((c, i) => [...c, i] as const))('%s', (_what, _schema, _data, valid, i) => {
    expect(verdicts[i]).toBe(valid);
  });
});

test('the table covers every engine validators.ts knows', async () => {
  await expect(callInThread<string[]>(VALIDATORS, 'engineNames', [])).resolves.toEqual(ENGINES);
});

describe('deploy refuses what the engines would each let through unchecked', () => {
  const problems = (form: Schema) => callInThread<string[]>(VALIDATORS, 'formDeployProblems', [form]);

  test('a format outside the policy, which every engine would ignore', async () => {
    await expect(problems(obj({ phone: { type: 'string', format: 'phone' } }))).resolves.toEqual([
      expect.stringMatching(/^\/steps\/fill\/form\/properties\/phone\/format: unknown format 'phone'/),
    ]);
    await expect(problems(obj({ id: { type: 'string', format: 'uuuid' } }))).resolves.toEqual([expect.stringContaining("(did you mean 'uuid'?)")]);
  });

  test('a required start variable with a default, which the API fills before checking and deploy does not', async () => {
    const variables = obj({ plan: { type: 'string', default: 'free' } }, { required: ['plan'], examples: [{ plan: 'pro' }] });
    await expect(callInThread<string[]>(VALIDATORS, 'formDeployProblems', [{ type: 'object' }, variables])).resolves.toEqual([
      expect.stringMatching(/^\/variables\/properties\/plan\/default: 'plan' is required and has a default/),
    ]);
    // In a form it is a prefilled field that must stay filled: nobody fills a form while judging it.
    await expect(problems(obj({ plan: { type: 'string', default: 'free' } }, { required: ['plan'] }))).resolves.toEqual([]);
  });
});
