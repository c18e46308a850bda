import knex from 'knex';
import { readFileSync } from 'node:fs';
import type { EngineActivities } from '../activities/context';
import { createActivities } from '../activities';

export type Probe = EngineActivities;
export const probe = [knex, readFileSync, createActivities, Math.random(), setTimeout];
async function later(): Promise<void> {}
export function fire(): void {
  later();
}
