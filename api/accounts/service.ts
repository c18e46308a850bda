/**
 * Digital accounts (seed 000) through the API: signup (trial or freemium), upgrades and the store's
 * payment webhook. The rules of the sale itself live in the processes (definitions/trial-lifecycle,
 * freemium-account, account-upgrade) and their activities; which process hears what is declared in
 * their `messages`. This service checks the request, sends one message (api/messages/router.ts) and
 * answers the caller with what happened.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_PLAN, planProblem, takesModulesAtSignup } from '../../domain/accounts';
import { paymentMismatch } from '../../domain/billing';
import { normalizeRut } from '../../domain/identity';
import { billable } from '../../lib/billing';
import { renewalStore } from '../../lib/subscription-billing';
import { toIso as iso } from '../../lib/time';
import type { AppDeps } from '../deps';
import { conflict, HttpError, invalidFields, notFound } from '../errors';
import { ensureOpportunity } from '../opportunities/store';
import type { MessageRouter } from '../messages/router';
import { createDeliveryStore, requirePaymentKey } from '../payments/deliveries';
import { sendRenewalPayment } from '../payments/renewals';
import type { CreateAccountBody, PaymentWebhookBody, UpgradeBody } from './schemas';
import type { SessionUser } from '../types';
import { createAccountStore, type AccountRow } from './store';

/** How long signup waits for the process to create the account before answering 202. */
const ACCOUNT_WAIT_MS = 15_000;
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

export function createAccountService(deps: AppDeps, messages: MessageRouter) {
  const store = createAccountStore(deps.db);
  const deliveries = createDeliveryStore(deps.db);

  async function requireAccount(id: string): Promise<AccountRow> {
    const account = await store.get(id);
    if (!account) throw notFound(`Account ${id} not found`, { accountId: id });
    return account;
  }

  /** Why the account process ended without the account: 409 for a taken email, else 502. */
  async function processFailed(email: string, processId: string, failure: { type: string | null; message: string }): Promise<HttpError> {
    if (failure.type === EMAIL_TAKEN) {
      // Lost a race for the email to another signup between our check and the process's insert.
      const winner = await store.byEmail(email);
      return conflict('email_taken', `The email ${email} is already used${winner ? ` by account ${winner.id}` : ''}`, { email, processId });
    }
    return new HttpError(502, 'account_process_failed', `The account process ${processId} failed: ${failure.message}`, {
      processId, failureType: failure.type,
    });
  }

  /** 409 naming what was due when no process takes the payment (none runs, or none waits for it). */
  const nothingDue = (account: AccountRow, due: number) =>
    conflict('nothing_due', `Account ${account.id} has no process waiting for a payment (nothing is due)`, { accountId: account.id, amountDue: due });

  /** Sale key: the opportunity, or the account itself for accounts made before the funnel existed. */
  const saleKey = (a: AccountRow) => a.opportunity_id ?? a.id;

  /** A paying account owes nothing to a sale process but may owe its oldest renewal (api/payments/renewals). */
  async function renewalPayment(idempotencyKey: string, account: AccountRow, body: PaymentWebhookBody): Promise<PaymentAnswer> {
    const open = await renewalStore.openFor(deps.db, account.id);
    if (!open) throw nothingDue(account, 0);
    const workflowId = await sendRenewalPayment(deps.temporal, idempotencyKey, open, body);
    const response: PaymentAnswer = { accepted: true, duplicate: false, accountId: account.id, processId: workflowId, eventId: idempotencyKey, amountDue: Number(open.amount) };
    const recorded = await deliveries.record({ key: idempotencyKey, source: 'store', accountId: account.id, instanceId: workflowId, payload: body, response });
    return recorded ? response : { ...response, duplicate: true };
  }

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
      const variables: Record<string, unknown> = {
        email, rut, name: body.name, planCode, channel, opportunityId: sale.opportunityId, contactId: sale.contactId,
        ...(body.kind === 'trial' ? { addons } : {}),
        ...(sale.companyId ? { companyId: sale.companyId } : {}),
        ...(sale.ownerId ? { ownerId: sale.ownerId } : {}),
      };
      const { definitionId, opened } = await messages.send(user, {
        name: 'account.signup',
        businessKey: sale.opportunityId,
        messageId: `signup:${randomUUID()}`,
        payload: { kind: body.kind },
        variables,
        waitMs: ACCOUNT_WAIT_MS,
      });
      const created = { opportunityId: sale.opportunityId, processId: opened.instanceId, definitionId };
      if (opened.pending) return { accountId: null, ...created, status: 'pending', expiresAt: null };
      if (opened.status === 'failed') throw await processFailed(email, opened.instanceId, opened.failure ?? { type: null, message: 'no reason recorded' });
      const account = opened.variables.account as { accountId?: string; status?: string; expiresAt?: string } | undefined;
      if (!account?.accountId) return { accountId: null, ...created, status: 'pending', expiresAt: null };
      return { accountId: account.accountId, ...created, status: account.status ?? 'active', expiresAt: account.expiresAt ?? null };
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
      const { definitionId, opened } = await messages.send(user, {
        name: 'account.upgrade',
        businessKey: saleKey(account),
        messageId: `modules:${randomUUID()}`,
        payload: { modules: body.modules },
        variables: { accountId: id, modules: body.modules, email: account.email, rut: account.rut, name: account.name },
      });
      const startedHere = !opened.pending && opened.started;
      const via = definitionId === 'trial-lifecycle' ? 'trial' : startedHere ? 'new-upgrade' : 'pending-upgrade';
      return { accountId: id, processId: opened.instanceId, modules: body.modules, via };
    },

    /**
     * The store's payment webhook. The Idempotency-Key makes a repeated delivery a no-op that answers
     * like the first one; the process then bills exactly what is due (billing.checkout), once.
     */
    async payment(user: SessionUser, keyHeader: string | undefined, body: PaymentWebhookBody) {
      const idempotencyKey = requirePaymentKey(keyHeader);
      const seen = await deliveries.replay<PaymentAnswer>(idempotencyKey, body);
      if (seen) return seen;
      const account = await requireAccount(body.accountId);
      const { due } = await billable(deps.db, account);
      if (due === 0) return renewalPayment(idempotencyKey, account, body);
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
      let routed;
      try {
        routed = await messages.send(user, { name: 'account.payment', businessKey: saleKey(account), messageId: idempotencyKey, payload: body as unknown as Record<string, unknown> });
      } catch (err) {
        if (err instanceof HttpError && err.code === 'not_heard') throw nothingDue(account, due);
        throw err;
      }
      const { opened } = routed;
      const target = { id: opened.instanceId };
      const delivered = { duplicate: !opened.pending && opened.duplicate };
      const response: PaymentAnswer = { accepted: true, duplicate: false, accountId: account.id, processId: target.id, eventId: idempotencyKey, amountDue: due };
      const recorded = await deliveries.record({ key: idempotencyKey, source: 'store', accountId: account.id, instanceId: target.id, payload: body, response });
      if (!recorded || delivered.duplicate) return { ...response, duplicate: true };
      return response;
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
