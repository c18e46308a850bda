/**
 * The lead funnel's activities (activities/domain/opportunities.ts) against a real Postgres: round-robin
 * owners written once per step key, the hand-over to an account, and closing won or lost exactly once.
 */
import type { Knex } from 'knex';
import { ApplicationFailure } from '@temporalio/common';
import type { ProcessActivity, StepContext } from '../../activities/context';
import { createDomainActivities } from '../../activities/domain';
import { ensureOpportunity } from '../../api/opportunities/store';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { rejectionOf } from '../support/errors';

let env: FreshDatabase;
let db: Knex;
let act: Record<string, ProcessActivity>;
let owners: Record<'camila' | 'matias', string>;

beforeAll(async () => {
  env = await freshDatabase();
  db = env.db;
  act = createDomainActivities({ db });
  const id = async (email: string) => (await db('owners').where({ email }).first('id')).id as string;
  owners = { camila: await id('camila.rojas@cauce.example'), matias: await id('matias.perez@cauce.example') };
});
afterAll(async () => {
  await env?.drop();
});

let seq = 0;
function ctx(stepId: string): StepContext {
  seq += 1;
  return { instanceId: `inst-${seq}`, definitionId: 'digital-opportunity', version: 1, businessKey: `bk-${seq}`, stepId, key: `inst-${seq}:${stepId}:1` };
}
const call = (name: string, input: Record<string, unknown>, c: StepContext) => act[name](input, c) as Promise<Record<string, any>>;

async function newOpportunity(overrides: Record<string, unknown> = {}): Promise<string> {
  seq += 1;
  return (await ensureOpportunity(db, { email: `act${seq}@laespiga.cl`, name: 'Lead', channel: 'landing', actor: 'test', ...overrides })).opportunityId;
}

async function account(email: string): Promise<string> {
  const [row] = await db('accounts')
    .insert({ email, rut: '76086428-5', name: 'La Espiga', plan_code: 'trial-pyme', kind: 'trial', status: 'trial', channel: 'landing', idempotency_key: `test:${email}` })
    .returning('id');
  return row.id;
}

describe('opportunities.assignOwner', () => {
  test('round-robin over the active sales owners by email; a retry returns the owner first picked', async () => {
    const picks: string[] = [];
    for (let i = 0; i < 3; i++) {
      const c = ctx('assignOwner');
      const opportunityId = await newOpportunity();
      const first = await call('opportunities.assignOwner', { opportunityId }, c);
      expect(await call('opportunities.assignOwner', { opportunityId }, c)).toEqual(first); // retried
      picks.push(first.ownerName);
      expect((await db('opportunities').where({ id: opportunityId }).first()).owner_id).toBe(first.ownerId);
      expect(await db('owner_assignments').where({ entity_id: opportunityId })).toEqual([
        expect.objectContaining({ entity: 'opportunity', owner_id: first.ownerId, assigned_by: 'round-robin', idempotency_key: c.key }),
      ]);
    }
    expect(picks).toEqual(['Camila Rojas', 'Matías Pérez', 'Camila Rojas']);
  });

  test("an opportunity's own owner is kept, with its username (null when the owner has no Cauce user)", async () => {
    const opportunityId = await newOpportunity({ ownerId: owners.matias });
    expect(await call('opportunities.assignOwner', { opportunityId }, ctx('assignOwner'))).toEqual({ ownerId: owners.matias, ownerName: 'Matías Pérez', username: null });
    expect(await db('owner_assignments').where({ entity_id: opportunityId, assigned_by: 'round-robin' })).toEqual([]);
  });

  test('no active sales owner: all null; an unknown opportunity is NotFound', async () => {
    await db('owners').where({ team: 'sales' }).update({ active: false });
    try {
      expect(await call('opportunities.assignOwner', { opportunityId: await newOpportunity() }, ctx('assignOwner'))).toEqual({ ownerId: null, ownerName: null, username: null });
    } finally {
      await db('owners').where({ team: 'sales' }).update({ active: true });
    }
    expect((await rejectionOf(call('opportunities.assignOwner', { opportunityId: '00000000-0000-4000-8000-000000000000' }, ctx('assignOwner')), ApplicationFailure)).type).toBe('NotFound');
  });
});

describe('opportunities.linkAccount', () => {
  test('ties the account and leaves the opportunity open; again is the same; another account is InvalidTransition', async () => {
    const opportunityId = await newOpportunity();
    const accountId = await account('link@laespiga.cl');
    const linked = await call('opportunities.linkAccount', { opportunityId, accountId }, ctx('handOver'));
    expect(linked).toEqual({ opportunityId, accountId, status: 'open' });
    expect(await call('opportunities.linkAccount', { opportunityId, accountId }, ctx('handOver'))).toEqual(linked);
    expect(await db('opportunities').where({ id: opportunityId }).first()).toMatchObject({ status: 'open', account_id: accountId });

    const other = await account('otra@laespiga.cl');
    expect((await rejectionOf(call('opportunities.linkAccount', { opportunityId, accountId: other }, ctx('handOver')), ApplicationFailure)).type).toBe('InvalidTransition');
    expect((await rejectionOf(call('opportunities.linkAccount', { opportunityId, accountId: '00000000-0000-4000-8000-000000000000' }, ctx('handOver')), ApplicationFailure)).type).toBe('NotFound');
  });
});

describe('opportunities.close', () => {
  test('lost with its reason, once; closing it the other way is InvalidTransition', async () => {
    const opportunityId = await newOpportunity();
    const c = ctx('closeLost');
    const closed = await call('opportunities.close', { opportunityId, result: 'lost', reason: 'Declined the digital proposal' }, c);
    expect(closed).toMatchObject({ opportunityId, status: 'lost', lostReason: 'Declined the digital proposal', closedAt: expect.any(String) });
    expect(await call('opportunities.close', { opportunityId, result: 'lost', reason: 'Declined the digital proposal' }, c)).toEqual(closed);
    const accountId = await account('tarde@laespiga.cl');
    expect((await rejectionOf(call('opportunities.close', { opportunityId, result: 'won', accountId }, ctx('closeWon')), ApplicationFailure)).type).toBe('InvalidTransition');
  });

  test('won with the account; input checks name the field', async () => {
    const opportunityId = await newOpportunity();
    const accountId = await account('gana@laespiga.cl');
    expect(await call('opportunities.close', { opportunityId, result: 'won', accountId }, ctx('closeWon'))).toMatchObject({ status: 'won', accountId });
    const missingReason = await rejectionOf(call('opportunities.close', { opportunityId: await newOpportunity(), result: 'lost' }, ctx('closeLost')), ApplicationFailure);
    expect(missingReason).toMatchObject({ type: 'InvalidInput', message: 'reason: is required when the result is lost' });
    const badResult = await rejectionOf(call('opportunities.close', { opportunityId, result: 'maybe' }, ctx('close')), ApplicationFailure);
    expect(badResult.message).toMatch(/^result: must be one of won, lost/);
  });
});
