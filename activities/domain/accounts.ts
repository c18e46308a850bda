/**
 * Digital accounts (seed 000): trial accounts with a limited free period taken from their plan, and
 * freemium accounts at $0 without limit. The email is the account's identity: it must be new.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { ProcessActivity, StepContext } from '../context';
import { normalizeRut } from './rut';
import { transition } from './status';
import {
  Input, findByKey, insertOnce, invalid, isUniqueViolation, iso, optionalString, requireEmail, requireEnum, requireString, requireUuid,
} from './support';

const channels = ['ecommerce', 'landing', 'hubspot', 'assisted', 'partner', 'upgrade'] as const;

interface PlanRow { code: string; kind: string; trial_days: number | null; active: boolean }
interface AccountRow {
  id: string; email: string; plan_code: string; kind: string; status: string; trial_ends_at: Date | null; created_at: Date;
}

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
    channel: requireEnum(input, 'channel', channels),
  };
}

async function loadPlan(db: Knex, code: string, kind: 'trial' | 'freemium'): Promise<PlanRow> {
  const plan = (await db('plans').where({ code }).first()) as PlanRow | undefined;
  if (!plan || !plan.active) throw invalid('planCode', `no active plan ${JSON.stringify(code)}`);
  if (plan.kind !== kind) throw invalid('planCode', `plan ${code} is ${plan.kind}, not ${kind}`);
  return plan;
}

/**
 * Create the account once per key. A retry returns the first attempt's row; a different key with the
 * same email is the seed's "the email must be new" rule.
 */
async function createAccount(db: Knex, row: Record<string, unknown> & { email: string }, ctx: StepContext): Promise<AccountRow> {
  const earlier = await findByKey<AccountRow>(db, 'accounts', ctx.key);
  if (earlier) return earlier;
  if (await db('accounts').where({ email: row.email }).first('id')) throw emailTaken(row.email);
  try {
    return await insertOnce<AccountRow>(db, 'accounts', { ...row, instance_id: ctx.instanceId, idempotency_key: ctx.key });
  } catch (error) {
    // Lost a race with another instance registering the same email between the check and the insert.
    if (isUniqueViolation(error, 'accounts_email_unique')) throw emailTaken(row.email);
    throw error;
  }
}

export function createAccountActivities({ db }: { db: Knex }): Record<string, ProcessActivity> {
  return {
    async 'accounts.createTrial'(input, ctx) {
      const who = identity(input);
      const plan = await loadPlan(db, optionalString(input, 'planCode') ?? 'trial-pyme', 'trial');
      const trialDays = plan.trial_days ?? 30;
      const account = await createAccount(db, {
        ...who,
        plan_code: plan.code,
        kind: 'trial',
        status: 'trial',
        // Computed in SQL so the expiry and created_at share one clock.
        trial_ends_at: db.raw(`now() + make_interval(days => ?)`, [trialDays]),
      }, ctx);
      return {
        accountId: account.id,
        email: account.email,
        planCode: account.plan_code,
        status: account.status,
        trialDays,
        createdAt: iso(account.created_at),
        expiresAt: iso(account.trial_ends_at),
      };
    },

    async 'accounts.createFreemium'(input, ctx) {
      const who = identity(input);
      const plan = await loadPlan(db, optionalString(input, 'planCode') ?? 'freemium', 'freemium');
      const account = await createAccount(db, { ...who, plan_code: plan.code, kind: 'freemium', status: 'active' }, ctx);
      return { accountId: account.id, email: account.email, planCode: account.plan_code, status: account.status, createdAt: iso(account.created_at) };
    },

    async 'accounts.activate'(input, ctx) {
      const accountId = requireUuid(input, 'accountId');
      const change = await transition(db, {
        entity: 'account', id: accountId, to: 'active', from: ['trial', 'suspended', 'active'], reason: optionalString(input, 'reason'),
      }, ctx);
      return { accountId, status: change.to_status, previousStatus: change.from_status, changedAt: iso(change.at) };
    },

    async 'accounts.suspend'(input, ctx) {
      const accountId = requireUuid(input, 'accountId');
      const reason = requireString(input, 'reason');
      const change = await transition(db, { entity: 'account', id: accountId, to: 'suspended', from: ['trial', 'active'], reason }, ctx);
      return { accountId, status: change.to_status, previousStatus: change.from_status, changedAt: iso(change.at) };
    },
  };
}

