/**
 * A Postgres a benchmark can throw away: an embedded server in `tmpDir`, or, when DATABASE_URL is set,
 * a fresh database on that server. Returns its URL and how to get rid of it.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { startEmbeddedPostgres } from '../scripts/servers/postgres';

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
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await onServer(external, `CREATE DATABASE ${name}`);
  const url = new URL(external);
  url.pathname = `/${name}`;
  return { url: url.toString(), cleanup: { name: `database ${name}`, stop: () => onServer(external, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) } };
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new PgClient({ connectionString: serverUrl });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}
