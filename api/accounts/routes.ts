import { defineRoute, type RouteDef } from '../routing';
import { AccountDetail, CreateAccountBody, CreatedAccount, PaymentAccepted, PaymentWebhookBody, UpgradeAccepted, UpgradeBody } from './schemas';
import { errorReply, UuidParams } from '../shared-schemas';
import { FEATURE_ROLES, RECORD_READERS } from '../../workflows/policy';
import type { AccountService } from './service';


export function accountRoutes(accounts: AccountService): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/accounts',
      summary: 'Sign up a digital account (trial or freemium) and start its process',
      tag: 'accounts',
      auth: { roles: FEATURE_ROLES.signUp },
      body: CreateAccountBody,
      responses: {
        201: { description: 'Account created by its process', schema: CreatedAccount },
        202: { description: 'Process started; the account is not written yet', schema: CreatedAccount },
        409: errorReply('email_taken: the email belongs to another account'),
        422: errorReply('invalid_rut, unknown_plan, plan_kind_mismatch, unknown_module, addons_not_allowed, invalid_lead'),
        502: errorReply('account_process_failed: the process failed before writing the account (the message says why)'),
      },
      handler: ({ body, user }) => accounts.create(user, body),
      status: (created) => (created.accountId ? 201 : 202),
    }),
    defineRoute({
      method: 'get',
      path: '/api/accounts/:id',
      summary: 'An account with its states and their history, subscription, modules, invoices and processes',
      tag: 'accounts',
      auth: { roles: RECORD_READERS.account, outsiders: 'notFound' },
      params: UuidParams,
      responses: { 200: { description: 'The account', schema: AccountDetail }, 404: errorReply('Unknown account') },
      handler: ({ params }) => accounts.get(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/accounts/:id/upgrades',
      summary: 'Add modules beyond the base plan (in trial: billed with the first period; else a 30-day window to pay)',
      tag: 'accounts',
      auth: { roles: FEATURE_ROLES.signUp },
      params: UuidParams,
      body: UpgradeBody,
      responses: {
        201: { description: 'A new account-upgrade process', schema: UpgradeAccepted },
        202: { description: 'Added to the trial or to the upgrade waiting for payment', schema: UpgradeAccepted },
        404: errorReply('Unknown account'),
        409: errorReply('account_suspended, no_running_trial'),
        422: errorReply('unknown_module'),
      },
      handler: ({ params, body, user }) => accounts.upgrade(user, params.id, body),
      status: (upgrade) => (upgrade.via === 'new-upgrade' ? 201 : 202),
    }),
    defineRoute({
      method: 'post',
      path: '/api/webhooks/payments',
      summary: "The store's payment webhook. Repeating an Idempotency-Key changes nothing",
      tag: 'accounts',
      auth: { roles: FEATURE_ROLES.pay },
      body: PaymentWebhookBody,
      headers: [{ name: 'Idempotency-Key', description: 'Unique per payment delivery; a repeat answers 200 with duplicate: true', required: true }],
      responses: {
        200: { description: 'Duplicate delivery: nothing new happened', schema: PaymentAccepted },
        202: { description: 'Delivered to the process that bills it', schema: PaymentAccepted },
        400: errorReply('missing_idempotency_key'),
        404: errorReply('Unknown account'),
        409: errorReply('nothing_due: no process of the account waits for a payment'),
        422: errorReply("amount_mismatch, currency_mismatch (not the account's currency), idempotency_key_reused"),
      },
      handler: ({ body, user, req }) => accounts.payment(user, req.get('idempotency-key'), body),
      status: (payment) => (payment.duplicate ? 200 : 202),
    }),
  ];
}
