/**
 * A Postgres a benchmark can throw away: an embedded server in `tmpDir`, or, when DATABASE_URL is set,
 * a fresh database on that server. Returns its URL and how to get rid of it.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { queryOnce, startEmbeddedPostgres, withDatabase } from '../scripts/servers/postgres';

export interface Stop {
  name: string;
  stop: () => Promise<void>;
}

export async function throwawayPostgres(tmpDir: string, prefix: string): Promise<{ url: string; cleanup: Stop }> {
  const external = process.env.DATABASE_URL;
  if (!external) {
    const server = await startEmbeddedPostgres({ dataDir: path.join(tmpDir, 'postgres'), fallbackToFreePort: true });
    return { url: server.url, cleanup: { name: 'Postgres', stop: server.stop } };
  }
  return throwawayDatabase(external, prefix);
}

/** A new database `<prefix>_<random>` on the server at `serverUrl`. */
export async function throwawayDatabase(serverUrl: string, prefix: string): Promise<{ url: string; cleanup: Stop }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await queryOnce(serverUrl, `CREATE DATABASE ${name}`);
  return {
    url: withDatabase(serverUrl, name),
    cleanup: { name: `database ${name}`, stop: () => queryOnce(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) },
  };
}
