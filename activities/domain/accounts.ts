/**
 * Digital accounts (seed 000): trial accounts with a limited free period taken from their plan, and
 * freemium accounts at $0 without limit. The email is the account's identity: it must be new.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import { DEFAULT_PLAN, planProblem, trialDays as trialDaysOf, trialEndsAt, type AccountKind } from '../../domain/accounts';
import { SALES_CHANNELS } from '../../domain/channels';
import { normalizeRut } from '../../domain/identity';
import { accountStore, type OpenedAccountRow, type PlanRow } from '../../lib/accounts';
import { opportunityStore } from '../../lib/opportunities';
import type { ProcessActivity, StepContext } from '../context';
import { linkOpportunity } from './opportunities';
import { setAccountStates, transition } from './status';
import {
  Input, invalid, isUniqueViolation, iso, optionalString, optionalTimestamp, optionalUuid, requireEmail, requireEnum, requireString, requireUuid,
} from './support';


function emailTaken(email: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`email ${email} is already used by another account`, 'EmailTaken', { email });
}

function identity(input: Input) {
  const rutInput = requireString(input, 'rut');
  const rut = normalizeRut(rutInput);
  if (!rut) throw invalid('rut', `is not a valid Chilean RUT (got ${JSON.stringify(rutInput)})`);
  return {
    email: requireEmail(input, 'email'),
    rut,
    name: requireString(input, 'name'),
    channel: requireEnum(input, 'channel', SALES_CHANNELS),
    // The sale this account belongs to (docs/DIGITAL-SALE.md); absent for accounts made outside the funnel.
    opportunityId: optionalUuid(input, 'opportunityId'),
    contactId: optionalUuid(input, 'contactId'),
    companyId: optionalUuid(input, 'companyId'),
    ownerId: optionalUuid(input, 'ownerId'),
  };
}
type Identity = ReturnType<typeof identity>;

/** The active plan `code` of the account kind, or InvalidInput naming `planCode` (the API maps it to a 422). */
async function loadPlan(db: Knex, code: string, kind: AccountKind): Promise<PlanRow> {
  const plan = await accountStore.plan(db, code);
  const problem = planProblem(code, plan, kind);
  if (problem) throw invalid('planCode', problem.message);
  return plan!;
}

/**
 * Create the account once per key. A retry returns the first attempt's row; a different key with the
 * same email is the seed's "the email must be new" rule.
 */
async function createAccount(
  db: Knex,
  account: Identity & { kind: AccountKind; plan: PlanRow; trialEndsAt?: Date | Knex.Raw },
  ctx: StepContext,
): Promise<OpenedAccountRow> {
  const earlier = await accountStore.byKey(db, ctx.key);
  if (earlier) return earlier;
  if (await accountStore.idByEmail(db, account.email)) throw emailTaken(account.email);
  try {
    // Account, its subscription and the opportunity's link to it exist together or not at all.
    return await db.transaction(async (trx) => {
      const opened = await accountStore.open(trx, { ...account, instanceId: ctx.instanceId, key: ctx.key });
      if (account.opportunityId) await linkOpportunity(trx, account.opportunityId, opened.id);
      return opened;
    });
  } catch (error) {
    // Lost a race with another instance registering the same email between the check and the insert.
    if (isUniqueViolation(error, 'accounts_email_unique')) throw emailTaken(account.email);
    throw error;
  }
}

export function createAccountActivities({ db }: { db: Knex }): Record<string, ProcessActivity> {
  return {
    async 'accounts.createTrial'(input, ctx) {
      const who = identity(input);
      const plan = await loadPlan(db, optionalString(input, 'planCode') ?? DEFAULT_PLAN.trial, 'trial');
      const trialDays = trialDaysOf(plan.trial_days);
      // The workflow passes its own clock (`=$now()`), so the stored expiry is the one its timers use,
      // also on the time-skipping test server.
      const startedAt = optionalTimestamp(input, 'startedAt');
      const account = await createAccount(db, {
        ...who,
        kind: 'trial',
        plan,
        // Without the workflow's clock, SQL's: then the expiry and created_at share one clock.
        trialEndsAt: startedAt ? trialEndsAt(startedAt, trialDays) : db.raw(`now() + make_interval(days => ?)`, [trialDays]),
      }, ctx);
      return {
        accountId: account.id,
        email: account.email,
        planCode: account.plan_code,
        status: account.status,
        basePrice: Number(plan.base_price),
        currency: plan.currency,
        trialDays,
        createdAt: iso(account.created_at),
        expiresAt: iso(account.trial_ends_at),
      };
    },

    async 'accounts.createFreemium'(input, ctx) {
      const who = identity(input);
      const plan = await loadPlan(db, optionalString(input, 'planCode') ?? DEFAULT_PLAN.freemium, 'freemium');
      const account = await createAccount(db, { ...who, kind: 'freemium', plan }, ctx);
      return { accountId: account.id, email: account.email, planCode: account.plan_code, status: account.status, createdAt: iso(account.created_at) };
    },

    async 'accounts.activate'(input, ctx) {
      const accountId = requireUuid(input, 'accountId');
      const change = await transition(db, {
        entity: 'account', id: accountId, to: 'active', from: ['trial', 'suspended', 'active'], reason: optionalString(input, 'reason'),
      }, ctx);
      return { accountId, status: change.to_status, previousStatus: change.from_status, changedAt: iso(change.at) };
    },

    /** Suspends an account; a trial that is suspended has expired unpaid: its sale is lost (seed 000). */
    async 'accounts.suspend'(input, ctx) {
      const accountId = requireUuid(input, 'accountId');
      const reason = requireString(input, 'reason');
      const change = await transition(db, { entity: 'account', id: accountId, to: 'suspended', from: ['trial', 'active'], reason }, ctx, async (trx) => {
        const account = await trx('accounts').where({ id: accountId }).first('conversion_state', 'opportunity_id');
        if (account.conversion_state !== 'trial') return;
        await setAccountStates(trx, accountId, { conversion: 'lost', operation: 'restricted' }, { key: ctx.key, instanceId: ctx.instanceId, reason });
        await trx('subscriptions').where({ account_id: accountId }).update({ status: 'lapsed' });
        if (account.opportunity_id) await opportunityStore.close(trx, account.opportunity_id, { result: 'lost', reason });
      });
      return { accountId, status: change.to_status, previousStatus: change.from_status, changedAt: iso(change.at) };
    },
  };
}

