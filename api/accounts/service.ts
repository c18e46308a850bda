/**
 * Digital accounts (seed 000) through the API: signup (trial or freemium), upgrades and the store's
 * payment webhook. The rules of the sale itself live in the processes (definitions/trial-lifecycle,
 * freemium-account, account-upgrade) and their activities; this service checks the request, finds the
 * process that must hear about it, and answers the caller with what happened.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_PLAN, planProblem, takesModulesAtSignup } from '../../domain/accounts';
import { paymentMismatch } from '../../domain/billing';
import { normalizeRut } from '../../domain/identity';
import { billable } from '../../lib/billing';
import { toIso as iso } from '../../lib/time';
import type { AppDeps } from '../deps';
import { badRequest, conflict, HttpError, invalidFields, notFound, unprocessable } from '../errors';
import { logger } from '../logger';
import { ensureOpportunity } from '../opportunities/store';
import { FUNNEL_DEFINITION } from '../opportunities/service';
import type { ProcessService } from '../processes/service';
import { createProcessStore, type InstanceRow } from '../processes/store';
import type { CreateAccountBody, PaymentWebhookBody, UpgradeBody } from '../schemas';
import type { SessionUser } from '../types';
import { createAccountStore, PAYABLE_DEFINITIONS, type AccountRow } from './store';

const DEFINITION_OF_KIND = { trial: 'trial-lifecycle', freemium: 'freemium-account' } as const;
/** How long signup waits for the process to create the account before answering 202, and how often it looks. */
const ACCOUNT_WAIT_MS = 15_000;
const ACCOUNT_POLL_MS = 250;
/** The failure type of accounts.createTrial / createFreemium for an email another account has. */
const EMAIL_TAKEN = 'EmailTaken';

/** What the payment webhook answers (stored with the delivery, answered again to a repeat). */
interface PaymentAnswer {
  accepted: boolean;
  duplicate: boolean;
  accountId: string;
  processId: string;
  eventId: string;
  amountDue: number;
}

/** 422 naming one body field. */
const fieldError = (code: string, field: string, message: string) => invalidFields(code, 'body', [{ field, message }]);

function presentAccount(a: AccountRow) {
  return {
    id: a.id,
    email: a.email,
    rut: a.rut,
    name: a.name,
    kind: a.kind,
    planCode: a.plan_code,
    channel: a.channel,
    source: a.channel,
    basePrice: Number(a.base_price),
    currency: a.currency,
    states: { conversion: a.conversion_state, payment: a.payment_state, activation: a.status, operation: a.operation_state },
    trialEndsAt: iso(a.trial_ends_at),
    renewalDueAt: iso(a.renewal_due_at),
    firstPaidAt: iso(a.first_paid_at),
    opportunityId: a.opportunity_id,
    createdAt: iso(a.created_at),
  };
}

export function createAccountService(deps: AppDeps, processes: ProcessService) {
  const store = createAccountStore(deps.db);
  const instances = createProcessStore(deps.db);

  async function requireAccount(id: string): Promise<AccountRow> {
    const account = await store.get(id);
    if (!account) throw notFound(`Account ${id} not found`, { accountId: id });
    return account;
  }

  /**
   * The account row once the process has written it; else (the process ended without it, or it took
   * too long) the process's row as it stands.
   */
  async function awaitAccount(processId: string): Promise<{ account: AccountRow } | { account: null; instance: InstanceRow | null }> {
    const deadline = Date.now() + ACCOUNT_WAIT_MS;
    for (;;) {
      const account = await store.byProcess(processId);
      if (account) return { account };
      const instance = await instances.get(processId);
      if (instance?.status !== 'running' || Date.now() > deadline) return { account: null, instance };
      await new Promise((r) => setTimeout(r, ACCOUNT_POLL_MS));
    }
  }

  /**
   * The lead funnel of this sale, if one runs, ends here: the account's process carries the sale on.
   * Told as soon as that process starts, whether or not the account is written by the time signup
   * answers; the funnel's hand-over finds the account by its opportunity. A failure to tell it does
   * not undo the signup (the funnel then ends on its own timer).
   */
  async function handOverFunnel(user: SessionUser, opportunityId: string, accountProcessId: string) {
    const funnel = await instances.findRunning([FUNNEL_DEFINITION], opportunityId);
    if (!funnel) return;
    try {
      await processes.sendEvent(user, funnel.id, 'accountCreated', `account-created:${accountProcessId}`, { accountProcessId });
    } catch (err) {
      // not_running: the funnel ended between the lookup and the event; nothing is left to hand over.
      if (err instanceof HttpError && err.code === 'not_running') return;
      logger.error({ err, funnelId: funnel.id, accountProcessId }, 'could not hand the lead funnel over to the account process');
    }
  }

  /** Why the account process ended without writing the account: 409 for a taken email, else 502. */
  async function processFailed(email: string, processId: string): Promise<HttpError> {
    const failure = await processes.failure(processId);
    if (failure.type === EMAIL_TAKEN) {
      // Lost a race for the email to another signup between our check and the process's insert.
      const winner = await store.byEmail(email);
      return conflict('email_taken', `The email ${email} is already used${winner ? ` by account ${winner.id}` : ''}`, { email, processId });
    }
    return new HttpError(502, 'account_process_failed', `The account process ${processId} failed: ${failure.message}`, {
      processId, failureType: failure.type,
    });
  }

  /** Sale key: the opportunity, or the account itself for accounts made before the funnel existed. */
  const saleKey = (a: AccountRow) => a.opportunity_id ?? a.id;

  return {
    async create(user: SessionUser, body: CreateAccountBody) {
      const rut = normalizeRut(body.rut);
      if (!rut) throw fieldError('invalid_rut', 'rut', `${JSON.stringify(body.rut)} is not a valid Chilean RUT (check digit or format)`);
      const email = body.email.toLowerCase();
      const taken = await store.byEmail(email);
      if (taken) throw conflict('email_taken', `The email ${email} is already used by account ${taken.id}`, { email, accountId: taken.id });
      const planCode = body.planCode ?? DEFAULT_PLAN[body.kind];
      const plan = await store.plan(planCode);
      const problem = planProblem(planCode, plan, body.kind);
      if (problem) throw fieldError(problem.code, 'planCode', problem.message);
      const addons = body.addons ?? [];
      if (addons.length && !takesModulesAtSignup(body.kind)) {
        throw fieldError('addons_not_allowed', 'addons', 'a freemium account adds modules as upgrades (POST /api/accounts/:id/upgrades)');
      }
      const unknown = await store.unknownModules(addons);
      if (unknown.length) throw fieldError('unknown_module', 'addons', `unknown module(s) ${unknown.join(', ')}`);

      const { channel } = body;
      const sale = await ensureOpportunity(deps.db, {
        email, name: body.name, rut, phone: body.phone, company: body.company, channel, sourceDetail: body.sourceDetail ?? null, actor: user.username,
      });
      const definitionId = DEFINITION_OF_KIND[body.kind];
      const variables: Record<string, unknown> = {
        email, rut, name: body.name, planCode, channel, opportunityId: sale.opportunityId, contactId: sale.contactId,
        ...(body.kind === 'trial' ? { addons } : {}),
        ...(sale.companyId ? { companyId: sale.companyId } : {}),
        ...(sale.ownerId ? { ownerId: sale.ownerId } : {}),
      };
      const started = await processes.start(user, { definitionId, businessKey: sale.opportunityId, variables }, { internal: true });
      await handOverFunnel(user, sale.opportunityId, started.id);

      const waited = await awaitAccount(started.id);
      const created = { opportunityId: sale.opportunityId, processId: started.id, definitionId };
      if (waited.account) return { accountId: waited.account.id, ...created, status: waited.account.status, expiresAt: iso(waited.account.trial_ends_at) };
      if (waited.instance?.status === 'failed') throw await processFailed(email, started.id);
      return { accountId: null, ...created, status: 'pending', expiresAt: null };
    },

    async get(id: string) {
      // One snapshot: the amount due must agree with the modules listed beside it.
      const snapshot = await store.snapshot(async (q) => {
        const account = await store.get(id, q);
        if (!account) return null;
        return { account, d: await store.details(id, saleKey(account), q), due: (await billable(q, account)).due };
      });
      if (!snapshot) throw notFound(`Account ${id} not found`, { accountId: id });
      const { account, d, due } = snapshot;
      return {
        ...presentAccount(account),
        amountDue: due,
        subscription: d.subscription
          ? { planCode: d.subscription.plan_code, status: d.subscription.status, basePrice: Number(d.subscription.base_price), periodicity: d.subscription.periodicity }
          : null,
        items: d.items.map((i) => ({
          module: i.module_code, price: Number(i.price), status: i.status, activatedAt: iso(i.activated_at), paidAt: iso(i.paid_at), revokedAt: iso(i.revoked_at),
        })),
        invoices: d.invoices.map((inv) => ({
          id: inv.id, number: inv.number, kind: inv.kind, channel: inv.channel, sellerName: inv.seller_name, sellerSource: inv.seller_source,
          amount: Number(inv.amount), currency: inv.currency, issuedAt: iso(inv.issued_at),
          lines: d.lines.filter((l) => l.invoice_id === inv.id).map((l) => ({ description: l.description, module: l.module_code, amount: Number(l.amount) })),
        })),
        stateHistory: d.history.map((h) => ({
          dimension: h.dimension === 'status' ? 'activation' : h.dimension, from: h.from_status, to: h.to_status, reason: h.reason, actor: h.actor, at: iso(h.at),
        })),
        processes: d.processes.map((p) => ({
          id: p.id, definitionId: p.definition_id, version: p.version, status: p.status, stage: p.stage, outcome: p.outcome, startedAt: iso(p.started_at), endedAt: iso(p.ended_at),
        })),
      };
    },

    /**
     * During the trial, modules join the trial (billed with the first period); afterwards, or on a
     * freemium account, they start an account-upgrade — or join the one already waiting for payment.
     */
    async upgrade(user: SessionUser, id: string, body: UpgradeBody) {
      const account = await requireAccount(id);
      if (account.status === 'suspended') throw conflict('account_suspended', `Account ${id} is suspended; reactivate it before adding modules`, { accountId: id });
      const unknown = await store.unknownModules(body.modules);
      if (unknown.length) throw fieldError('unknown_module', 'modules', `unknown module(s) ${unknown.join(', ')}`);
      const eventId = `modules:${randomUUID()}`;
      const key = saleKey(account);

      if (account.status === 'trial') {
        const trial = await instances.findRunning(['trial-lifecycle'], key);
        if (!trial) throw conflict('no_running_trial', `Account ${id} is in trial but no trial process runs for it`, { accountId: id });
        await processes.deliverEvent(user, trial.id, 'servicesActivated', eventId, { modules: body.modules });
        return { accountId: id, processId: trial.id, modules: body.modules, via: 'trial' as const };
      }
      const pending = await instances.findRunning(['account-upgrade'], key);
      if (pending) {
        await processes.deliverEvent(user, pending.id, 'modulesAdded', eventId, { modules: body.modules });
        return { accountId: id, processId: pending.id, modules: body.modules, via: 'pending-upgrade' as const };
      }
      const started = await processes.start(user, {
        definitionId: 'account-upgrade',
        businessKey: key,
        variables: { accountId: id, modules: body.modules, email: account.email, rut: account.rut, name: account.name },
      }, { internal: true });
      return { accountId: id, processId: started.id, modules: body.modules, via: 'new-upgrade' as const };
    },

    /**
     * The store's payment webhook. The Idempotency-Key makes a repeated delivery a no-op that answers
     * like the first one; the process then bills exactly what is due (billing.checkout), once.
     */
    async payment(user: SessionUser, idempotencyKey: string | undefined, body: PaymentWebhookBody) {
      if (!idempotencyKey || !/^[\w.:-]{1,200}$/.test(idempotencyKey)) {
        throw badRequest('missing_idempotency_key', 'Send an Idempotency-Key header (1-200 letters, digits, ._:-) with every payment webhook', [
          { in: 'headers', path: '/idempotency-key', message: 'is required' },
        ]);
      }
      const seen = await store.delivery(idempotencyKey);
      if (seen) {
        // Compared as values: jsonb does not keep the key order the store sent.
        if (!isDeepStrictEqual(seen.payload, body)) {
          throw unprocessable('idempotency_key_reused', `Idempotency-Key ${idempotencyKey} was used before with a different payment`, { idempotencyKey });
        }
        return { ...(seen.response as PaymentAnswer), duplicate: true };
      }
      const account = await requireAccount(body.accountId);
      const target = await instances.findRunning(PAYABLE_DEFINITIONS, saleKey(account));
      const { due } = await billable(deps.db, account);
      if (!target || due === 0) {
        throw conflict('nothing_due', `Account ${account.id} has no process waiting for a payment (nothing is due)`, { accountId: account.id, amountDue: due });
      }
      // Refused before the delivery is recorded: a payment the process cannot bill must not be accepted.
      const mismatch = paymentMismatch(body, { due, currency: account.currency });
      if (mismatch === 'currency') {
        throw fieldError('currency_mismatch', 'currency', `${body.currency} is not the currency of account ${account.id}, ${account.currency}`);
      }
      if (mismatch === 'amount') {
        throw fieldError('amount_mismatch', 'amount', `${body.amount} ${body.currency} does not match the amount due, ${due} ${account.currency}`);
      }
      // Delivered first, recorded once the process has taken it: a delivery that fails or times out
      // leaves no record, so the store's retry with the same key is tried again, never called a
      // duplicate; the workflow itself deduplicates by the key (a repeat of a payment already taken
      // answers duplicate there, and one still being taken waits for the same outcome).
      const delivered = await processes.deliverEvent(user, target.id, 'payment', idempotencyKey, body);
      const response: PaymentAnswer = { accepted: true, duplicate: false, accountId: account.id, processId: target.id, eventId: idempotencyKey, amountDue: due };
      const recorded = await store.recordDelivery({ key: idempotencyKey, accountId: account.id, instanceId: target.id, payload: body, response });
      if (!recorded || delivered.duplicate) return { ...response, duplicate: true };
      return response;
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
