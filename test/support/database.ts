/**
 * A private, migrated database per test file (or per test): a copy of `cauce_template`, which the
 * global setup migrated once. Copying a template is far cheaper than running migrations again.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { createDb } from '../../lib/db';
import { queryOnce, withDatabase } from '../../scripts/servers/postgres';

/** Migrated once by test/setup/global-setup.ts. */
export const TEMPLATE_DATABASE = 'cauce_template';

export function testServerUrl(): string {
  const url = process.env.CAUCE_TEST_DATABASE_URL;
  if (!url) throw new Error('CAUCE_TEST_DATABASE_URL is not set: run tests through jest (test/setup/global-setup.ts starts Postgres)');
  return url;
}

export interface FreshDatabase {
  db: Knex;
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function freshDatabase(): Promise<FreshDatabase> {
  const name = `cauce_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await queryOnce(testServerUrl(), `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  const url = withDatabase(testServerUrl(), name);
  const db = createDb(url, { poolMax: 5 });
  let dropped = false;
  return {
    db,
    url,
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await db.destroy();
      await queryOnce(testServerUrl(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** How many rows of `table` match `where` (column values, or a query callback for anything else). */
export async function countRows(db: Knex, table: string, where: Record<string, unknown> | Knex.QueryCallback = {}): Promise<number> {
  const [row] = await db(table).where(where).count({ n: '*' });
  return Number(row.n);
}
