/**
 * Deploying the largest definition Cauce accepts (MAX_DEFINITION_STEPS steps, close to
 * MAX_DEFINITION_BYTES) leaves the API responsive: validation runs in a worker thread
 * (lib/definitions/validate-pool.ts). Before, the API parsed and checked it on its own thread and
 * every other request waited seconds. Beyond the limits: 413 (bytes) and 422 naming the steps.
 * Speed is measured in bench/deploy-size.ts, not here.
 */
import { MAX_DEFINITION_BYTES, MAX_DEFINITION_STEPS } from '../../lib/definitions/limits';
import { closeValidationPool, validateOffThread } from '../../lib/definitions/validate-pool';
import { expectError, startApiStack, type ApiStack } from '../support/api';
import { largeDefinition } from '../support/large-definition';

/**
 * What deploying may add to the slowest /healthz answer. Measured against the same machine at the same
 * moment (the validation thread busy with the same YAML, the API thread idle), so a loaded two-core
 * machine's own noise is not counted, while an API thread busy for seconds is.
 */
const HEALTHZ_BUDGET_MS = 200;

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

/** One /healthz after another until `work` settles: how long each answer took (the gaps between answers). */
async function healthzGapsWhile(work: Promise<unknown>): Promise<number[]> {
  let settled = false;
  const done = work.finally(() => (settled = true));
  const gaps: number[] = [];
  while (!settled) {
    const sent = performance.now();
    const health = await stack.request('GET', '/healthz');
    gaps.push(performance.now() - sent);
    expect(health.status).toBe(200);
  }
  await done;
  return gaps;
}

test('/healthz answers within 200 ms of its usual time all through the deploy of the largest definition accepted', async () => {
  const yaml = largeDefinition('largest-accepted', MAX_DEFINITION_STEPS, MAX_DEFINITION_BYTES - 2048);
  expect(Buffer.byteLength(yaml)).toBeGreaterThan(MAX_DEFINITION_BYTES * 0.95);

  const validation = validateOffThread(yaml, 'largest-accepted.yaml');
  const atRest = await healthzGapsWhile(validation);
  expect((await validation).errors).toEqual([]);

  let deployed: Awaited<ReturnType<typeof deploy>> | undefined;
  const whileDeploying = await healthzGapsWhile(deploy(yaml).then((res) => (deployed = res)));
  expect(deployed!.status).toBe(201);
  expect(Object.keys(deployed!.body.definition.steps)).toHaveLength(MAX_DEFINITION_STEPS);

  // Both windows lasted several answers, so the measure covers them.
  expect(atRest.length).toBeGreaterThanOrEqual(3);
  expect(whileDeploying.length).toBeGreaterThanOrEqual(3);
  const slowest = { atRest: Math.round(Math.max(...atRest)), whileDeploying: Math.round(Math.max(...whileDeploying)) };
  expect(slowest.whileDeploying).toBeLessThan(slowest.atRest + HEALTHZ_BUDGET_MS);
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
