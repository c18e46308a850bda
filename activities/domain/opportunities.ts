/**
 * The lead funnel's side effects (definitions/digital-opportunity.yaml): who works an opportunity, the
 * account that takes the sale over, and how it closes. The opportunity row itself is created before its
 * process starts (api/opportunities).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import { nextInTurn } from '../../domain/leads';
import { assignmentStore, opportunityStore, ownerStore, ROUND_ROBIN, type OpportunityRow, type OwnerRow } from '../../lib/opportunities';
import type { ProcessActivity } from '../context';
import { invalid, iso, notFound, optionalString, optionalUuid, requireEnum, requireUuid } from './support';

const noOwner = { ownerId: null, ownerName: null, username: null };
const presentOwner = (o: OwnerRow) => ({ ownerId: o.id, ownerName: o.name, username: o.username });

/**
 * Ties an account to its opportunity, once: linking the same account again is a no-op; an opportunity
 * already tied to another account is a non-retryable InvalidTransition. Account creation and the lead
 * funnel's hand-over both use it.
 */
export async function linkOpportunity(db: Knex | Knex.Transaction, opportunityId: string, accountId: string): Promise<OpportunityRow> {
  const linked = await opportunityStore.link(db, opportunityId, accountId);
  if (linked) return linked;
  const row = await opportunityStore.get(db, opportunityId);
  if (!row) throw notFound('opportunity', opportunityId);
  throw ApplicationFailure.nonRetryable(`opportunity ${opportunityId} is already tied to account ${row.account_id}`, 'InvalidTransition', {
    id: opportunityId, accountId: row.account_id,
  });
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
        const done = await assignmentStore.ownerByKey(trx, ctx.key);
        const opportunity = await opportunityStore.lockForUpdate(trx, opportunityId);
        if (!opportunity) throw notFound('opportunity', opportunityId);
        const current = done ?? opportunity.owner_id;
        if (current) return ownerStore.get(trx, current);

        const next = nextInTurn(await ownerStore.activeSales(trx), await assignmentStore.lastInTurn(trx));
        if (!next) return undefined;
        await opportunityStore.setOwner(trx, opportunityId, next.id);
        await assignmentStore.record(trx, { entity: 'opportunity', entityId: opportunityId, ownerId: next.id, assignedBy: ROUND_ROBIN, idempotencyKey: ctx.key });
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

      const row = await opportunityStore.close(db, opportunityId, result === 'won' ? { result, accountId: accountId! } : { result, reason: reason! });
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
