/**
 * The store of `opportunities` and `owner_assignments`: every write to them, for the lead intake
 * (lib/leads.ts, called by the API and the import job) and the lead funnel's activities
 * (activities/domain/opportunities.ts, accounts, checkout). Rules that decide what to write are in
 * domain/leads; failures are the callers' to word.
 */
import type { Knex } from 'knex';
import type { OwnerState } from '../domain/leads';

type Db = Knex | Knex.Transaction;

export interface OpportunityRow {
  id: string;
  contact_id: string;
  company_id: string | null;
  owner_id: string | null;
  account_id: string | null;
  status: 'open' | 'won' | 'lost';
  lost_reason: string | null;
  closed_at: Date | null;
}

export interface OwnerRow { id: string; name: string; email: string; username: string | null }

/** Recorded as `owner_assignments.assigned_by` for owners the funnel picks in turn. */
export const ROUND_ROBIN = 'round-robin';

export type Close = { result: 'won'; accountId?: string } | { result: 'lost'; reason: string };

export const opportunityStore = {
  async get(db: Db, id: string): Promise<OpportunityRow | undefined> {
    return (await db('opportunities').where({ id }).first()) as OpportunityRow | undefined;
  },

  async lockForUpdate(trx: Knex.Transaction, id: string): Promise<OpportunityRow | undefined> {
    return (await trx('opportunities').where({ id }).forUpdate().first()) as OpportunityRow | undefined;
  },

  async openOf(db: Db, contactId: string): Promise<OpportunityRow | undefined> {
    return (await db('opportunities').where({ contact_id: contactId, status: 'open' }).first()) as OpportunityRow | undefined;
  },

  /**
   * A new open opportunity, or undefined when the contact already has one: the partial unique index
   * `opportunities_open_contact` decides between concurrent callers.
   */
  async insertOpen(
    db: Db,
    o: { contactId: string; companyId: string | null; channel: string; sourceDetail: string | null; ownerId: string | null; importId: string | null },
  ): Promise<OpportunityRow | undefined> {
    const { rows } = await db.raw<{ rows: OpportunityRow[] }>(
      `insert into opportunities (contact_id, company_id, channel, source_detail, owner_id, import_id)
       values (?, ?, ?, ?, ?, ?)
       on conflict (contact_id) where status = 'open' do nothing
       returning *`,
      [o.contactId, o.companyId, o.channel, o.sourceDetail, o.ownerId, o.importId],
    );
    return rows[0];
  },

  /** Ties the account to the opportunity unless another account has it; undefined then (or when there is no such opportunity). */
  async link(db: Db, opportunityId: string, accountId: string): Promise<OpportunityRow | undefined> {
    const [linked] = (await db('opportunities')
      .where({ id: opportunityId })
      .where((q) => q.whereNull('account_id').orWhere({ account_id: accountId }))
      .update({ account_id: accountId })
      .returning('*')) as OpportunityRow[];
    return linked;
  },

  /** Closes the opportunity if it is still open; its row either way (undefined: no such opportunity). */
  async close(db: Db, opportunityId: string, close: Close): Promise<OpportunityRow | undefined> {
    const [closed] = (await db('opportunities')
      .where({ id: opportunityId, status: 'open' })
      .update(
        close.result === 'won'
          ? { status: 'won', ...(close.accountId ? { account_id: close.accountId } : {}), closed_at: db.fn.now() }
          : { status: 'lost', lost_reason: close.reason, closed_at: db.fn.now() },
      )
      .returning('*')) as OpportunityRow[];
    return closed ?? opportunityStore.get(db, opportunityId);
  },

  async setOwner(db: Db, opportunityId: string, ownerId: string): Promise<void> {
    await db('opportunities').where({ id: opportunityId }).update({ owner_id: ownerId });
  },
};

export const ownerStore = {
  async states(db: Db, ids: Array<string | null>): Promise<Map<string, OwnerState>> {
    const wanted = ids.filter((id): id is string => Boolean(id));
    if (wanted.length === 0) return new Map();
    const rows = (await db('owners').whereIn('id', wanted).select('id', 'active')) as OwnerState[];
    return new Map(rows.map((o) => [o.id, o]));
  },

  async get(db: Db, id: string): Promise<OwnerRow | undefined> {
    return (await db('owners').where({ id }).first('id', 'name', 'email', 'username')) as OwnerRow | undefined;
  },

  /** Every owner by lower-cased email (the CSV import's `owner_email` column). */
  async byEmail(db: Db): Promise<Map<string, OwnerState>> {
    const rows = (await db('owners').select('id', 'email', 'active')) as Array<OwnerState & { email: string }>;
    return new Map(rows.map((o) => [o.email.toLowerCase(), { id: o.id, active: o.active }]));
  },

  /** The active sales owners in the fixed order turns go by (email). */
  async activeSales(db: Db): Promise<OwnerRow[]> {
    return (await db('owners').where({ team: 'sales', active: true }).orderBy('email').select('id', 'name', 'email', 'username')) as OwnerRow[];
  },
};

export const assignmentStore = {
  /** Records who was given a contact or an opportunity; with a key, once per key (a retry records nothing). */
  async record(db: Db, a: { entity: 'contact' | 'opportunity'; entityId: string; ownerId: string; assignedBy: string; idempotencyKey?: string }): Promise<void> {
    const insert = db('owner_assignments').insert({
      entity: a.entity, entity_id: a.entityId, owner_id: a.ownerId, assigned_by: a.assignedBy, ...(a.idempotencyKey ? { idempotency_key: a.idempotencyKey } : {}),
    });
    await (a.idempotencyKey ? insert.onConflict('idempotency_key').ignore() : insert);
  },

  async ownerByKey(db: Db, key: string): Promise<string | null> {
    return ((await db('owner_assignments').where({ idempotency_key: key }).first('owner_id')) as { owner_id: string } | undefined)?.owner_id ?? null;
  },

  /** The owner the funnel picked last in turn, if any. */
  async lastInTurn(db: Db): Promise<string | null> {
    const last = (await db('owner_assignments').where({ entity: 'opportunity', assigned_by: ROUND_ROBIN }).orderBy('id', 'desc').first('owner_id')) as
      | { owner_id: string }
      | undefined;
    return last?.owner_id ?? null;
  },
};
