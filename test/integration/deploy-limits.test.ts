/**
 * Deploying the largest definition Cauce accepts (MAX_DEFINITION_STEPS steps, close to
 * MAX_DEFINITION_BYTES) leaves the API's thread free: validation runs in a worker thread
 * (lib/definitions/validate-pool.ts). Before, the API parsed and checked it on its own thread and
 * every other request waited seconds. Beyond the limits: 413 (bytes) and 422 naming the steps.
 * How long the event loop stalls is a speed figure, so it is measured in bench/deploy-size.ts
 * (validating on the loop against in the thread), not timed here.
 */
import { MAX_DEFINITION_BYTES, MAX_DEFINITION_STEPS } from '../../lib/definitions/limits';
import * as validate from '../../lib/definitions/validate';
import { closeValidationPool } from '../../lib/definitions/validate-pool';
import { expectError, startApiStack, type ApiStack } from '../support/api';
import { largeDefinition } from '../support/large-definition';

// The API runs in this process and the validation thread loads its own copy of the module, so a call
// to this wrapper (the real function, counted) is validation on the API's event loop.
jest.mock('../../lib/definitions/validate', () => {
  const actual = jest.requireActual('../../lib/definitions/validate');
  return { ...actual, validateDefinitionSource: jest.fn(actual.validateDefinitionSource) };
});

let stack: ApiStack;
let admin: string;

beforeAll(async () => {
  stack = await startApiStack('deploy-limits', { worker: false, definitions: false });
  admin = await stack.login('admin');
});

afterAll(async () => {
  await stack?.close();
  await closeValidationPool();
});

const deploy = (yaml: string) => stack.request('POST', '/api/definitions', admin, undefined, { raw: yaml, headers: { 'content-type': 'application/yaml' } });

/** One /healthz after another until `work` settles: the status of each answer. */
async function healthzWhile(work: Promise<unknown>): Promise<number[]> {
  let settled = false;
  const done = work.finally(() => (settled = true));
  const statuses: number[] = [];
  while (!settled) statuses.push((await stack.request('GET', '/healthz')).status);
  await done;
  return statuses;
}

test('the largest definition accepted is validated off the API thread, which answers /healthz all through the deploy', async () => {
  const yaml = largeDefinition('largest-accepted', MAX_DEFINITION_STEPS, MAX_DEFINITION_BYTES - 2048);
  expect(Buffer.byteLength(yaml)).toBeGreaterThan(MAX_DEFINITION_BYTES * 0.95);
  const onApiThread = jest.mocked(validate.validateDefinitionSource);
  onApiThread.mockClear();
  let deployed: Awaited<ReturnType<typeof deploy>> | undefined;
  const statuses = await healthzWhile(deploy(yaml).then((res) => (deployed = res)));
  expect(deployed!.status).toBe(201);
  expect(Object.keys(deployed!.body.definition.steps)).toHaveLength(MAX_DEFINITION_STEPS);
  expect(statuses.length).toBeGreaterThan(0);
  expect(statuses.every((status) => status === 200)).toBe(true);
  expect(onApiThread).not.toHaveBeenCalled();
});

test('one step more than the limit is 422 naming the steps', async () => {
  const res = await deploy(largeDefinition('too-many-steps', MAX_DEFINITION_STEPS + 1));
  expectError(res, 422, 'invalid_definition');
  expect(res.body.error.details).toEqual([
    expect.objectContaining({ path: '/steps', line: 6, message: `the definition has ${MAX_DEFINITION_STEPS + 1} steps; at most ${MAX_DEFINITION_STEPS} are accepted (split it into sub-processes)` }),
  ]);
});

test('more YAML than the limit is 413', async () => {
  const res = await deploy(largeDefinition('too-large', 100, MAX_DEFINITION_BYTES + 4096));
  expectError(res, 413);
});
