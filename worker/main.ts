/**
 * A standalone worker process (production: run as many as needed beside the API).
 * Reads the same configuration as `npm start`; TEMPORAL_ADDRESS and DATABASE_URL must point at running servers.
 */
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../lib/config';
import { createDb } from '../lib/db';
import { ensureOutboxDelivery } from '../lib/outbox-delivery';
import { connectClient } from '../lib/temporal';
import { createWorker } from './create-worker';

async function main() {
  const config = loadConfig();
  if (!config.temporal.address || !config.database.url) {
    throw new Error('worker/main.ts needs TEMPORAL_ADDRESS and DATABASE_URL (npm start runs an embedded worker instead)');
  }
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const db = createDb(config.database.url);
  const worker = await createWorker({ connection, config, db });
  const running = worker.run();
  const { client, connection: clientConnection } = await connectClient(config);
  await ensureOutboxDelivery(client, config);
  await clientConnection.close();
  // One line operators (and the worker-crash test) can wait for.
  process.stdout.write(`[cauce-worker] polling task queue ${config.temporal.taskQueue} on ${config.temporal.address}\n`);
  await running;
  await db.destroy();
  await connection.close();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
