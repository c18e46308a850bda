/**
 * A worker process: `npm start`'s supervisor runs one (scripts/start.ts); in production run as many
 * as needed beside the API. Reads the same configuration as `npm start`; TEMPORAL_ADDRESS and
 * DATABASE_URL must point at running servers.
 */
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../lib/config';
import { createDb } from '../lib/db';
import { smtpTransport } from '../activities/mail-transport';
import { createAttachmentResolver } from '../lib/mail/attachments';
import { ensureOutboxDelivery } from '../lib/outbox-delivery';
import { ensureReconcileJob } from '../lib/reconcile-job';
import { announceReady, serverAddresses, stopOnRequest } from '../lib/service-process';
import { connectClient } from '../lib/temporal';
import { createWorker } from './create-worker';

async function main() {
  const config = loadConfig();
  const { temporalAddress, databaseUrl } = serverAddresses(config, 'worker/main.ts');
  const connection = await NativeConnection.connect({ address: temporalAddress });
  const db = createDb(databaseUrl);
  // E-mail goes over SMTP when there is a relay (npm start's sink, or SMTP_URL); without one, to the log.
  const transport = config.mail.smtpUrl ? smtpTransport({ url: config.mail.smtpUrl, from: config.mail.from, attachments: createAttachmentResolver(db) }) : undefined;
  if (!transport) process.stderr.write('[cauce-worker] no SMTP_URL: notifications are written to the log, not sent\n');
  const worker = await createWorker({ connection, config, db, transport });
  const closed = worker.run().finally(async () => {
    transport?.close();
    await db.destroy();
    await connection.close();
  });
  // The SDK drains the worker on SIGINT/SIGTERM by itself; a vanished supervisor is ours to notice.
  stopOnRequest(
    'cauce-worker',
    async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await closed;
    },
    { signals: false },
  );
  const { client, connection: clientConnection } = await connectClient(config, temporalAddress);
  await ensureOutboxDelivery(client, config);
  await ensureReconcileJob(client, config);
  await clientConnection.close();
  // One line operators (and the worker-crash test) can wait for.
  process.stdout.write(`[cauce-worker] polling task queue ${config.temporal.taskQueue} on ${temporalAddress}\n`);
  announceReady();
  await closed;
  // Drained and closed: leave now (the SDK's runtime would otherwise hold the process for ~40 s).
  process.exit(0);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
