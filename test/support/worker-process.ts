/**
 * A worker in its own OS process, so a test can kill it with SIGKILL mid-process (test/integration/worker-crash.test.ts).
 * Env: TEMPORAL_ADDRESS, DATABASE_URL, TEMPORAL_TASK_QUEUE. Prints "ready" once polling.
 */
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import { loadConfig } from '../../lib/config';
import { createDb } from '../../lib/db';
import { createWorker } from '../../worker/create-worker';

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const config = loadConfig();
  const connection = await NativeConnection.connect({ address: config.temporal.address! });
  const db = createDb(config.database.url!);
  const worker = await createWorker({ connection, config, db });
  const running = worker.run();
  process.stdout.write('ready\n');
  await running;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
