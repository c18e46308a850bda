/**
 * A private, migrated database per test file (or per test): a copy of `cauce_template`, which the
 * global setup migrated once. Copying a template is far cheaper than running migrations again.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { Client } from 'pg';
import { createDb } from '../../lib/db';

const TEMPLATE = 'cauce_template';

export function testServerUrl(): string {
  const url = process.env.CAUCE_TEST_DATABASE_URL;
  if (!url) throw new Error('CAUCE_TEST_DATABASE_URL is not set: run tests through jest (test/setup/global-setup.ts starts Postgres)');
  return url;
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface FreshDatabase {
  db: Knex;
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function freshDatabase(): Promise<FreshDatabase> {
  const name = `cauce_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`));
  const url = new URL(testServerUrl());
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { poolMax: 5 });
  let dropped = false;
  return {
    db,
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await db.destroy();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
