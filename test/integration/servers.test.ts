/** The servers the global setup starts are real and configured the way the engine expects. */
import { Connection } from '@temporalio/client';
import { Client } from 'pg';
import { loadConfig } from '../../lib/config';
import { freshDatabase } from '../support/database';
import { devServerConnection } from '../support/servers';

const INDEXED_VALUE_TYPE = { Keyword: 2, KeywordList: 7 } as const;

describe('global test servers', () => {
  it('Postgres answers select 1', async () => {
    const client = new Client({ connectionString: process.env.CAUCE_TEST_DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query('select 1 as one');
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
  });

  it('freshDatabase copies the migrated template and drops it again', async () => {
    const fresh = await freshDatabase();
    const { rows } = await fresh.db.raw<{ rows: Array<{ name: string }> }>('select name from knex_migrations order by id');
    expect(rows.map((r) => r.name)).toContain('001_engine');
    await fresh.drop();
    const admin = new Client({ connectionString: process.env.CAUCE_TEST_DATABASE_URL });
    await admin.connect();
    const left = await admin.query('select 1 from pg_database where datname = $1', [fresh.name]);
    await admin.end();
    expect(left.rowCount).toBe(0);
  });

  describe('Temporal dev server', () => {
    let connection: Connection;
    beforeAll(async () => {
      connection = await devServerConnection();
    });
    afterAll(() => connection?.close());

    it('answers and has the custom search attributes registered', async () => {
      const { namespace, searchAttributes } = loadConfig().temporal;
      const info = await connection.workflowService.describeNamespace({ namespace });
      expect(info.namespaceInfo?.name).toBe(namespace);

      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      for (const [name, type] of Object.entries(searchAttributes)) {
        expect([name, customAttributes?.[name]]).toEqual([name, INDEXED_VALUE_TYPE[type as keyof typeof INDEXED_VALUE_TYPE]]);
      }
    });
  });
});
