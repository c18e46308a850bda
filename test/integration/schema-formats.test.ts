/**
 * Start input and task data are refused up front by the domain formats (workflows/formats.ts) and
 * RE2 patterns, through the real API, worker, Temporal and Postgres: a trial with a wrong RUT check
 * digit is 422 at POST /api/processes (it used to start and fail in accounts.createTrial), and a task
 * form with a bad NIT or a catastrophic pattern is refused by the workflow's update validator with
 * the field named.
 */
import { expectError, inboxTask, startApiStack, type ApiStack } from '../support/api';

let stack: ApiStack;
let admin: string;
let trialExample: Record<string, unknown>;

beforeAll(async () => {
  stack = await startApiStack('schema-formats');
  admin = await stack.login('admin');
  trialExample = (await stack.request('GET', '/api/definitions/trial-lifecycle', admin)).body.definition.variables.examples[0];
});

afterAll(async () => {
  await stack?.close();
});

const deploy = (yaml: string) => stack.request('POST', '/api/definitions', admin, undefined, { raw: yaml, headers: { 'content-type': 'application/yaml' } });
const start = (definitionId: string, businessKey: string, variables: Record<string, unknown>) =>
  stack.request('POST', '/api/processes', admin, { definitionId, businessKey, variables });

describe('start variables', () => {
  test('a trial whose RUT has a wrong check digit is 422 naming the field; the right digit starts it', async () => {
    const bad = await start('trial-lifecycle', 'rut-bad', { ...trialExample, email: 'rut-bad@example.cl', rut: '76.086.428-4' });
    expectError(bad, 422, 'invalid_variables');
    expect(bad.body.error.details).toEqual([expect.objectContaining({ in: 'variables', path: '/rut', message: expect.stringContaining('Chilean RUT with a valid check digit') })]);

    const good = await start('trial-lifecycle', 'rut-good', { ...trialExample, email: 'rut-good@example.cl', rut: '76.086.428-5' });
    expect(good.status).toBe(201);
  });

  test('a version stored before patterns ran on RE2, with a pattern RE2 cannot run, is 422 at start, not 500', async () => {
    const definition = { id: 'legacy-lookahead', name: 'Legacy', roles: [], variables: { type: 'object', properties: { code: { type: 'string', pattern: '^(?!x)' } } }, start: 'done', steps: { done: { type: 'end' } } };
    await stack.db('definitions').insert({ id: definition.id, name: definition.name, latest_version: 1 });
    await stack.db('definition_versions').insert({ definition_id: definition.id, version: 1, content_hash: 'legacy', source: '', definition: JSON.stringify(definition), deployed_by: 'test' });
    expectError(await start(definition.id, 'legacy-1', { code: 'a' }), 422, 'unusable_definition');
  });

  test('an email the activities would refuse is 422 at start', async () => {
    const bad = await start('trial-lifecycle', 'email-bad', { ...trialExample, email: 'no-at-sign.cl' });
    expectError(bad, 422, 'invalid_variables');
    expect(bad.body.error.details).toEqual([expect.objectContaining({ path: '/email', message: expect.stringContaining('an email address') })]);
  });
});

const FORM_DEFINITION = `id: billing-check
name: Billing check
roles: [billing]
variables: { type: object, examples: [{}] }
start: billingData
steps:
  billingData:
    type: userTask
    title: Billing data
    roles: [billing]
    form:
      type: object
      required: [nit]
      properties:
        nit: { type: string, format: nit }
        code: { type: string, pattern: "^(a+)+$" }
      examples: [{ nit: 900.123.456-8, code: aaa }]
    outcomes: { done: { next: done } }
  done: { type: end }
`;

describe('task forms (the workflow validates)', () => {
  test('a bad NIT and a catastrophic pattern are refused with the field named; good data completes the task', async () => {
    expect((await deploy(FORM_DEFINITION)).status).toBe(201);
    const started = await start('billing-check', 'form-1', {});
    expect(started.status).toBe(201);
    const billing = { username: 'billing', token: await stack.login('billing') };
    const task = await inboxTask(stack, billing, started.body.id, 'billingData');
    const complete = (data: Record<string, unknown>) => stack.request('POST', `/api/tasks/${task.id}/complete`, billing.token, { outcome: 'done', data });

    const badNit = await complete({ nit: '900.123.456-7' });
    expectError(badNit, 422);
    expect(badNit.body.error.details.problems).toEqual([{ path: '/nit', message: expect.stringContaining('Colombian NIT with a valid check digit') }]);

    // 5,000 characters: a backtracking engine would never return, and the workflow thread would stall.
    const attack = await complete({ nit: '900.123.456-8', code: 'a'.repeat(5_000) + '!' });
    expectError(attack, 422);
    expect(attack.body.error.details.problems).toEqual([{ path: '/code', message: 'String does not match pattern "^(a+)+$".' }]);

    const done = await complete({ nit: '900.123.456-8', code: 'aaa' });
    expect(done.status).toBe(200);
  });
});

describe('deploy', () => {
  test('a pattern RE2 cannot run is 422 with its line and column', async () => {
    const yaml = FORM_DEFINITION.replace('id: billing-check', 'id: billing-lookahead').replace('"^(a+)+$"', '"^(?!x)a"');
    const res = await deploy(yaml);
    expectError(res, 422, 'invalid_definition');
    const line = yaml.split('\n').findIndex((l) => l.includes('(?!x)'));
    expect(res.body.error.details).toEqual([
      expect.objectContaining({
        path: '/steps/billingData/form/properties/code/pattern',
        line: line + 1,
        column: yaml.split('\n')[line].indexOf('"^(?!x)a"') + 1,
        message: expect.stringContaining('cannot be matched in linear time'),
      }),
    ]);
  });
});
