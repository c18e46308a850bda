/** What every feature service receives from `createApp`. */
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { CauceConfig } from '../lib/config';

export interface AppDeps {
  db: Knex;
  temporal: Client;
  config: CauceConfig;
}
