/**
 * An API process: `npm start`'s supervisor runs one (scripts/start.ts); in production run as many as
 * needed beside the workers. TEMPORAL_ADDRESS and DATABASE_URL must point at running servers;
 * CAUCE_WEB_APP_DIR (a built ui/dist) is served at `/` when set.
 */
import type { Server } from 'node:http';
import { loadConfig } from '../lib/config';
import { createDb } from '../lib/db';
import { announceReady, serverAddresses, stopOnRequest } from '../lib/service-process';
import { connectClient } from '../lib/temporal';
import { createApp } from './app';
import { logger } from './logger';

async function main() {
  const config = loadConfig();
  const { temporalAddress, databaseUrl } = serverAddresses(config, 'api/main.ts');
  const db = createDb(databaseUrl);
  const { client, connection } = await connectClient(config, temporalAddress);
  const app = createApp({ db, temporal: client, config }, { webAppDir: process.env.CAUCE_WEB_APP_DIR || undefined });
  const { host, port } = config.http;
  const server = await listen(app, port, host);
  stopOnRequest('cauce-api', async () => {
    await closeServer(server);
    await connection.close();
    await db.destroy();
  });
  logger.info({ url: `http://${host}:${port}` }, 'listening');
  announceReady();
}

function listen(app: ReturnType<typeof createApp>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, () => resolve(server));
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`HTTP port ${host}:${port} is in use (set PORT)`) : err),
    );
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets would hold close() open until their clients hang up.
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 5_000).unref();
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
