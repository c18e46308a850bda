/**
 * Modules added beyond the base plan (seed 000 "upgrades" / "servicios adicionales"): each one is a
 * subscription item, provisioned at once and billed later. Until it is paid it counts as RRR won;
 * a freemium account gets a window (30 days) to pay it, after which the unpaid items are revoked.
 */
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Knex } from 'knex';
import { SUBSCRIPTION_BILLING_WORKFLOW, subscriptionBillingWorkflowId, type SubscriptionBillingInput } from '../../workflows/subscription-billing';
import type { ProcessActivity } from '../context';
import { BILLING_ZONES, type BillingCountry } from '../../domain/billing';
import { hasFirstInvoice } from '../../lib/billing';
import { setAccountStates } from './status';
import { findByKey, invalid, iso, notFound, optionalString, optionalTimestamp, optionalUuid, requireAmount, requireEmail, requireEnum, requireString, requireUuid, type Input } from './support';

interface ItemRow { id: string; module_code: string; price: string; currency: string; status: string; activated_at: Date }

function requireModules(input: Input): string[] {
  const value = input.modules;
  if (!Array.isArray(value) || value.length === 0 || !value.every((m) => typeof m === 'string' && m.trim() !== '')) {
    throw invalid('modules', 'must be a non-empty list of module codes');
  }
  return [...new Set(value.map((m: string) => m.trim()))];
}

function presentItem(row: ItemRow) {
  return { itemId: row.id, module: row.module_code, price: Number(row.price), currency: row.currency, status: row.status, activatedAt: iso(row.activated_at) };
}

async function provision(trx: Knex.Transaction, accountId: string, code: string, status: 'enabled' | 'disabled', key: string, instanceId: string) {
  await trx('provisioning')
    .insert({ account_id: accountId, kind: 'module', code, status, instance_id: instanceId, idempotency_key: key })
    .onConflict('idempotency_key').ignore();
}

/**
 * Starts a subscription's billing workflow: one per subscription, its id from the subscription id, so a
 * retry, a second paid sale or a work order closed twice finds it running (`started: false`).
 */
async function startBillingWorkflow(subscriptionId: string) {
  const workflowId = subscriptionBillingWorkflowId(subscriptionId);
  const { client, info } = Context.current();
  const args: [SubscriptionBillingInput] = [{ subscriptionId, fromPeriod: 1 }];
  try {
    await client.workflow.start(SUBSCRIPTION_BILLING_WORKFLOW, { workflowId, taskQueue: info.taskQueue, args });
    return { subscriptionId, workflowId, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { subscriptionId, workflowId, started: false };
    throw err;
  }
}

const COUNTRIES = Object.keys(BILLING_ZONES) as BillingCountry[];

/** How a customer without a digital account is billed: the input both customer starts share. */
function customerBilling(input: Input) {
  return {
    customer_email: requireEmail(input, 'customerEmail'),
    base_price: requireAmount(input, 'monthlyPrice'),
    currency: requireString(input, 'currency').toUpperCase(),
    billing_zone: BILLING_ZONES[requireEnum(input, 'country', COUNTRIES)],
    channel: requireString(input, 'channel'),
    seller_name: optionalString(input, 'sellerName'),
  };
}

export function createSubscriptionActivities({ db }: { db: Knex }): Record<string, ProcessActivity> {
  return {
    async 'subscriptions.activateModules'(input, ctx) {
      const accountId = requireUuid(input, 'accountId');
      const modules = requireModules(input);
      const windowEndsAt = optionalTimestamp(input, 'windowEndsAt');
      return db.transaction(async (trx) => {
        const account = await trx('accounts').where({ id: accountId }).forUpdate().first();
        if (!account) throw notFound('account', accountId);
        const subscription = await trx('subscriptions').where({ account_id: accountId }).first('id');
        const known = await trx('modules').whereIn('code', modules);
        const unknown = modules.filter((m) => !known.some((k: { code: string }) => k.code === m));
        if (unknown.length) throw invalid('modules', `unknown module(s) ${unknown.join(', ')}`);

        const items: ItemRow[] = [];
        for (const module of known as Array<{ code: string; price: string; currency: string }>) {
          const key = `${ctx.key}:${module.code}`;
          const mine = await findByKey<ItemRow>(trx, 'subscription_items', key);
          if (mine) {
            items.push(mine);
            continue;
          }
          // A module the account already has (activated or paid) is not sold twice.
          const live = await trx('subscription_items').where({ account_id: accountId, module_code: module.code }).whereNot({ status: 'revoked' }).first('id');
          if (live) continue;
          const [row] = await trx('subscription_items')
            .insert({
              subscription_id: subscription.id, account_id: accountId, module_code: module.code, price: module.price, currency: module.currency,
              instance_id: ctx.instanceId, idempotency_key: key,
            })
            .returning('*');
          await provision(trx, accountId, module.code, 'enabled', key, ctx.instanceId);
          items.push(row as ItemRow);
        }
        // The renewal window opens with the first unpaid upgrade and is not pushed back by later ones.
        const opened = Boolean(windowEndsAt && !account.renewal_due_at && items.length > 0);
        if (opened) {
          await trx('accounts').where({ id: accountId }).update({ renewal_due_at: windowEndsAt });
          await setAccountStates(trx, accountId, { payment: 'pending' }, { key: ctx.key, instanceId: ctx.instanceId, reason: 'upgrade awaiting payment' });
        }
        return {
          accountId,
          items: items.map(presentItem),
          total: items.reduce((sum, i) => sum + Number(i.price), 0),
          windowEndsAt: iso(opened ? windowEndsAt : account.renewal_due_at),
          // The funnel's closed-won belongs to the sale before its first invoice, not to later upgrades.
          beforeFirstInvoice: !(await hasFirstInvoice(trx, accountId)),
        };
      });
    },

    /**
     * Starts the subscription's recurring billing once its account is paid: one workflow per
     * subscription, its id from the subscription id, so a retry or a second paid sale finds it running.
     */
    async 'subscriptions.startBilling'(input) {
      const accountId = requireUuid(input, 'accountId');
      const account = await db('accounts').where({ id: accountId }).first('first_paid_at');
      if (!account) throw notFound('account', accountId);
      if (!account.first_paid_at) throw invalid('accountId', `account ${accountId} has not paid its first period: nothing renews yet`);
      // The periods count from the first payment as the process saw it (its clock, `$now()` at the
      // payment), else the payment's own time. Set once: a retry or a later sale keeps the first anchor.
      const anchorAt = optionalTimestamp(input, 'anchorAt') ?? account.first_paid_at;
      await db('subscriptions').where({ account_id: accountId }).whereNull('billing_anchor_at').update({ billing_anchor_at: anchorAt });
      const subscription = await db('subscriptions').where({ account_id: accountId }).first('id');
      if (!subscription) throw notFound('subscription of account', accountId);
      return startBillingWorkflow(subscription.id);
    },

    /**
     * Seed 004: closing a work order starts monthly billing of its product to the customer (who has no
     * digital account): one subscription per work order (its unique index), anchored when billing
     * started (the process's clock at the closing, else the OT's billing_started_at), in the country's
     * time zone. Its first period is the invoice the closing issues; renewals follow monthly.
     */
    async 'subscriptions.startForWorkOrder'(input, ctx) {
      const workOrderId = requireUuid(input, 'workOrderId');
      const fields = customerBilling(input);
      const order = await db('work_orders').where({ id: workOrderId }).first('client_tax_id', 'client_name', 'product', 'billing_started_at');
      if (!order) throw notFound('work order', workOrderId);
      if (!order.billing_started_at) throw invalid('workOrderId', `work order ${workOrderId} is not closed: billing starts when it closes (workOrders.close)`);
      await db('subscriptions')
        .insert({
          ...fields,
          work_order_id: workOrderId,
          customer_tax_id: order.client_tax_id,
          customer_name: order.client_name,
          product: optionalString(input, 'product') ?? order.product,
          periodicity: 'monthly',
          status: 'active',
          billing_anchor_at: optionalTimestamp(input, 'anchorAt') ?? order.billing_started_at,
          instance_id: ctx.instanceId,
          idempotency_key: ctx.key,
        })
        .onConflict('work_order_id').ignore();
      const subscription = await db('subscriptions').where({ work_order_id: workOrderId }).first('id');
      return startBillingWorkflow(subscription.id);
    },

    async 'subscriptions.startForCustomer'(input, ctx) {
      const row = {
        ...customerBilling(input),
        customer_tax_id: requireString(input, 'customerTaxId'),
        customer_name: requireString(input, 'customerName'),
        // Seed 001: the customer the renewals are invoiced to (paid through the gateway, seen in the portal).
        customer_id: optionalUuid(input, 'customerId'),
        product: requireString(input, 'product'),
        periodicity: 'monthly',
        status: 'active',
        billing_anchor_at: optionalTimestamp(input, 'anchorAt') ?? new Date(),
        instance_id: ctx.instanceId,
        idempotency_key: ctx.key,
      };
      // One subscription per step execution: a retry finds the row its first attempt wrote.
      await db('subscriptions').insert(row).onConflict('idempotency_key').ignore();
      const subscription = await findByKey<{ id: string }>(db, 'subscriptions', ctx.key);
      return startBillingWorkflow(subscription!.id);
    },

    async 'subscriptions.revokeUnpaid'(input, ctx) {
      const accountId = requireUuid(input, 'accountId');
      const reason = optionalString(input, 'reason') ?? 'renewal not paid in time';
      return db.transaction(async (trx) => {
        const account = await trx('accounts').where({ id: accountId }).forUpdate().first();
        if (!account) throw notFound('account', accountId);
        const earlier: string[] = await trx('subscription_items').where({ revoked_key: ctx.key }).orderBy('module_code').pluck('module_code');
        if (earlier.length) return { accountId, revoked: earlier, reason };
        const revoked: ItemRow[] = await trx('subscription_items')
          .where({ account_id: accountId, status: 'activated' })
          .update({ status: 'revoked', revoked_at: trx.fn.now(), revoked_key: ctx.key })
          .returning('*');
        for (const item of revoked) await provision(trx, accountId, item.module_code, 'disabled', `${ctx.key}:${item.module_code}`, ctx.instanceId);
        await trx('accounts').where({ id: accountId }).update({ renewal_due_at: null });
        await setAccountStates(trx, accountId, { payment: (await hasFirstInvoice(trx, accountId)) ? 'paid' : 'none' }, { key: ctx.key, instanceId: ctx.instanceId, reason });
        return { accountId, revoked: revoked.map((i) => i.module_code).sort(), reason };
      });
    },
  };
}
