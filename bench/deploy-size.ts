/**
 * How deploy validation scales with size, and what it costs the API's event loop, as ratios (no
 * absolute timing is asserted anywhere; test/integration/deploy-limits.test.ts checks that deploys
 * validate in the thread).
 *
 *   npm run bench:deploy
 *
 * - validation time of MAX_DEFINITION_STEPS steps over 100 steps (≈ 10 when linear);
 * - the longest event-loop stall while validating the largest accepted definition on the event loop
 *   (what the API did before) over the stall while the validation thread does it (what it does now).
 */
import { MAX_DEFINITION_BYTES, MAX_DEFINITION_STEPS } from '../lib/definitions/limits';
import { validateDefinitionSource } from '../lib/definitions/validate';
import { closeValidationPool, validateOffThread } from '../lib/definitions/validate-pool';
import { largeDefinition } from '../test/support/large-definition';

function timeInThread(yaml: string): number {
  const started = performance.now();
  const { errors } = validateDefinitionSource(yaml, 'bench.yaml');
  if (errors.length) throw new Error(`bench definition is invalid: ${errors[0].message}`);
  return performance.now() - started;
}

/** The longest gap (ms) between ticks of a 5 ms timer while `work` runs: how long the event loop stalled. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const ticking = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  // Start the work after a first tick, and let one more tick see a stall that ends with it.
  await new Promise((resolve) => setTimeout(resolve, 20));
  await work();
  await new Promise((resolve) => setTimeout(resolve, 20));
  clearInterval(ticking);
  return longest;
}

async function main() {
  const small = largeDefinition('bench-small', 100);
  const largest = largeDefinition('bench-largest', MAX_DEFINITION_STEPS, MAX_DEFINITION_BYTES - 2048);
  timeInThread(small); // warm-up: schema compilation, JSONata
  const scale = timeInThread(largest) / timeInThread(small);

  await validateOffThread(small, 'warm-up.yaml'); // the thread's own start-up
  const onLoop = await longestStall(async () => timeInThread(largest));
  const offLoop = await longestStall(() => validateOffThread(largest, 'bench.yaml'));
  await closeValidationPool();

  console.log(`validation time, ${MAX_DEFINITION_STEPS} steps / 100 steps: ${scale.toFixed(1)}×`);
  console.log(`longest event-loop stall, validating on the loop / in the validation thread: ${(onLoop / Math.max(offLoop, 1)).toFixed(1)}×`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
