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
import { startAuthHousekeeping } from './auth/housekeeping';
import { createHttpServer, listen } from './http-server';
import { logger } from './logger';

async function main() {
  const config = loadConfig();
  const { temporalAddress, databaseUrl } = serverAddresses(config, 'api/main.ts');
  const db = createDb(databaseUrl);
  const { client, connection } = await connectClient(config, temporalAddress);
  const app = createApp({ db, temporal: client, config }, { webAppDir: process.env.CAUCE_WEB_APP_DIR || undefined });
  const { host, port } = config.http;
  const server = await listen(createHttpServer(app, config.http.timeouts), port, host);
  const stopHousekeeping = startAuthHousekeeping(db, config.auth.housekeepingMinutes * 60_000);
  stopOnRequest('cauce-api', async () => {
    stopHousekeeping();
    await closeServer(server);
    await connection.close();
    await db.destroy();
  });
  logger.info({ url: `http://${host}:${port}` }, 'listening');
  announceReady();
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
