/**
 * The lead funnel's side effects (definitions/digital-opportunity.yaml): who works an opportunity, the
 * account that takes the sale over, and how it closes. The opportunity row itself is created before its
 * process starts (api/opportunities).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { ProcessActivity } from '../context';
import { findByKey, insertOnce, invalid, iso, notFound, optionalString, optionalUuid, requireEnum, requireUuid } from './support';

/** Recorded as `owner_assignments.assigned_by` for owners this activity picks. */
const ROUND_ROBIN = 'round-robin';

interface OwnerRow { id: string; name: string; email: string; username: string | null }
interface AssignmentRow { owner_id: string }
interface OpportunityRow {
  id: string; status: 'open' | 'won' | 'lost'; owner_id: string | null; account_id: string | null; lost_reason: string | null; closed_at: Date | null;
}

const noOwner = { ownerId: null, ownerName: null, username: null };
const presentOwner = (o: OwnerRow) => ({ ownerId: o.id, ownerName: o.name, username: o.username });

/**
 * Ties an account to its opportunity, once: linking the same account again is a no-op; an opportunity
 * already tied to another account is a non-retryable InvalidTransition. The one writer of the link
 * (account creation and the lead funnel's hand-over both use it).
 */
export async function linkOpportunity(db: Knex | Knex.Transaction, opportunityId: string, accountId: string): Promise<OpportunityRow> {
  const [linked] = (await db('opportunities')
    .where({ id: opportunityId })
    .where((q) => q.whereNull('account_id').orWhere({ account_id: accountId }))
    .update({ account_id: accountId })
    .returning('*')) as OpportunityRow[];
  if (linked) return linked;
  const row = (await db('opportunities').where({ id: opportunityId }).first()) as OpportunityRow | undefined;
  if (!row) throw notFound('opportunity', opportunityId);
  throw ApplicationFailure.nonRetryable(`opportunity ${opportunityId} is already tied to account ${row.account_id}`, 'InvalidTransition', {
    id: opportunityId, accountId: row.account_id,
  });
}

/**
 * Closes an opportunity that is still open (won at the first payment, lost with a reason) and returns
 * its row either way: the caller decides whether finding it closed differently is an error.
 */
export async function closeOpportunity(
  db: Knex | Knex.Transaction,
  opportunityId: string,
  close: { result: 'won'; accountId?: string } | { result: 'lost'; reason: string },
): Promise<OpportunityRow | undefined> {
  const [closed] = (await db('opportunities')
    .where({ id: opportunityId, status: 'open' })
    .update(
      close.result === 'won'
        ? { status: 'won', ...(close.accountId ? { account_id: close.accountId } : {}), closed_at: db.fn.now() }
        : { status: 'lost', lost_reason: close.reason, closed_at: db.fn.now() },
    )
    .returning('*')) as OpportunityRow[];
  return closed ?? ((await db('opportunities').where({ id: opportunityId }).first()) as OpportunityRow | undefined);
}

/** The active sales owner after the one picked last, in a fixed order (by email), wrapping around. */
async function nextSalesOwner(trx: Knex.Transaction): Promise<OwnerRow | undefined> {
  const owners = (await trx('owners').where({ team: 'sales', active: true }).orderBy('email').select('id', 'name', 'email', 'username')) as OwnerRow[];
  const last = (await trx('owner_assignments')
    .where({ entity: 'opportunity', assigned_by: ROUND_ROBIN })
    .orderBy('id', 'desc')
    .first('owner_id')) as AssignmentRow | undefined;
  const after = last ? owners.findIndex((o) => o.id === last.owner_id) : -1;
  return owners[(after + 1) % owners.length];
}

export function createOpportunityActivities({ db }: { db: Knex }): Record<string, ProcessActivity> {
  return {
    /**
     * The opportunity's owner, else the next active sales owner round-robin (written once per ctx.key,
     * so a retry returns the owner the first attempt picked). No active sales owner: all nulls, and the
     * task goes to the candidate roles' pool.
     */
    async 'opportunities.assignOwner'(input, ctx) {
      const opportunityId = requireUuid(input, 'opportunityId');
      const owner = await db.transaction(async (trx) => {
        // One picker at a time: two leads arriving together must not both get "the next" owner.
        await trx.raw('select pg_advisory_xact_lock(hashtext(?))', ['opportunities.assignOwner']);
        const done = await findByKey<AssignmentRow>(trx, 'owner_assignments', ctx.key);
        const opportunity = (await trx('opportunities').where({ id: opportunityId }).forUpdate().first()) as OpportunityRow | undefined;
        if (!opportunity) throw notFound('opportunity', opportunityId);
        const current = done?.owner_id ?? opportunity.owner_id;
        if (current) return (await trx('owners').where({ id: current }).first('id', 'name', 'email', 'username')) as OwnerRow;

        const next = await nextSalesOwner(trx);
        if (!next) return undefined;
        await trx('opportunities').where({ id: opportunityId }).update({ owner_id: next.id });
        await insertOnce(trx, 'owner_assignments', {
          entity: 'opportunity', entity_id: opportunityId, owner_id: next.id, assigned_by: ROUND_ROBIN, idempotency_key: ctx.key,
        });
        return next;
      });
      return owner ? presentOwner(owner) : noOwner;
    },

    /**
     * Ties the account the contact created to the opportunity. The opportunity stays open: the account's
     * own process (same business key) closes it, won at the first payment or lost when a trial expires,
     * and a lead arriving meanwhile joins it instead of opening a second one. Without an accountId the
     * account is the one created for this opportunity; until its process has written it, a retryable
     * AccountNotCreatedYet lets the retry policy wait for it.
     */
    async 'opportunities.linkAccount'(input) {
      const opportunityId = requireUuid(input, 'opportunityId');
      const given = optionalUuid(input, 'accountId');
      const account = given
        ? await db('accounts').where({ id: given }).first('id')
        : await db('accounts').where({ opportunity_id: opportunityId }).first('id');
      if (!account && given) throw notFound('account', given);
      if (!account) throw ApplicationFailure.retryable(`no account for opportunity ${opportunityId} yet`, 'AccountNotCreatedYet');
      const linked = await linkOpportunity(db, opportunityId, account.id);
      return { opportunityId, accountId: account.id, status: linked.status };
    },

    /**
     * Closes an open opportunity as won (with the account the contact created) or lost (with a reason).
     * The row's status is the idempotency: a retry finds it already closed the same way and returns it;
     * closing it the other way is a non-retryable InvalidTransition.
     */
    async 'opportunities.close'(input) {
      const opportunityId = requireUuid(input, 'opportunityId');
      const result = requireEnum(input, 'result', ['won', 'lost'] as const);
      const accountId = result === 'won' ? requireUuid(input, 'accountId') : null;
      const reason = optionalString(input, 'reason');
      if (result === 'lost' && !reason) throw invalid('reason', 'is required when the result is lost');
      if (accountId && !(await db('accounts').where({ id: accountId }).first('id'))) throw notFound('account', accountId);

      const row = await closeOpportunity(db, opportunityId, result === 'won' ? { result, accountId: accountId! } : { result, reason: reason! });
      if (!row) throw notFound('opportunity', opportunityId);
      if (row.status !== result) {
        throw ApplicationFailure.nonRetryable(`opportunity ${opportunityId} is ${row.status}; cannot close it as ${result}`, 'InvalidTransition', {
          id: opportunityId, status: row.status, to: result,
        });
      }
      return { opportunityId, status: row.status, accountId: row.account_id, lostReason: row.lost_reason, closedAt: iso(row.closed_at) };
    },
  };
}
