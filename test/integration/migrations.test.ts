/**
 * Every migration rolls back cleanly and applies again: a deploy that must be undone leaves a schema
 * the previous release can use, and `down` cannot rot unnoticed.
 */
import { migrateLatest, rollbackAll } from '../../lib/db';
import { freshDatabase, type FreshDatabase } from '../support/database';

let fresh: FreshDatabase;
beforeAll(async () => {
  fresh = await freshDatabase();
});
afterAll(() => fresh.drop());

async function tables(): Promise<string[]> {
  const rows = await fresh.db('information_schema.tables').where({ table_schema: 'public' }).select('table_name');
  return rows.map((r: { table_name: string }) => r.table_name).filter((t) => !t.startsWith('knex_')).sort();
}

test('all migrations roll back to an empty schema and apply again', async () => {
  const migrated = await tables();
  expect(migrated).toEqual(expect.arrayContaining(['accounts', 'opportunities', 'subscription_items', 'invoice_lines', 'tasks']));

  await rollbackAll(fresh.db);
  expect(await tables()).toEqual([]);

  await migrateLatest(fresh.db);
  expect(await tables()).toEqual(migrated);
  // Reference rows come back with their migration.
  expect(await fresh.db('channels').pluck('code')).toEqual(expect.arrayContaining(['ecommerce', 'partner', 'upgrade']));
});
