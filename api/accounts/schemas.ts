/** Digital accounts, upgrades and payment webhooks (seed 000; docs/DIGITAL-SALE.md). Request and response schemas; api/schemas.ts registers them. */
import type { FromSchema } from 'json-schema-to-ts';
import { shortText, uuid, nullableString, nullableObject, dateTime, nullableDateTime, stringList, rutText, companyRef } from '../shared-schemas';

const moduleCode = { type: 'string', minLength: 1, maxLength: 50 } as const;

const moduleCodes = { type: 'array', minItems: 1, maxItems: 20, uniqueItems: true, items: moduleCode } as const;

export const CreateAccountBody = {
  $id: 'CreateAccountBody',
  type: 'object',
  required: ['kind', 'email', 'rut', 'name'],
  additionalProperties: false,
  properties: {
    kind: { enum: ['trial', 'freemium'], description: 'trial: base value and a free period from the plan; freemium: $0, no time limit.' },
    email: { type: 'string', format: 'email', maxLength: 320, description: 'Must not be used by another account (compared lower-cased).' },
    rut: rutText,
    name: shortText,
    planCode: { type: 'string', minLength: 1, maxLength: 50, description: 'Default: trial-pyme (trial) or freemium.' },
    channel: { enum: ['ecommerce', 'landing', 'hubspot', 'assisted', 'partner', 'upgrade'], default: 'ecommerce' },
    sourceDetail: { type: 'string', minLength: 1, maxLength: 100 },
    addons: { type: 'array', maxItems: 20, uniqueItems: true, items: moduleCode, description: 'Trial only: modules the user means to add; none skips conversion-to-account.' },
    phone: { type: 'string', minLength: 1, maxLength: 50 },
    company: companyRef,
  },
} as const;

export type CreateAccountBody = FromSchema<typeof CreateAccountBody>;

export const CreatedAccount = {
  $id: 'CreatedAccount',
  type: 'object',
  required: ['accountId', 'opportunityId', 'processId', 'definitionId'],
  properties: {
    accountId: { ...nullableString, description: 'null only when the process had not created the account yet (202).' },
    opportunityId: { type: 'string', description: 'The business key of every process of this sale.' },
    processId: { type: 'string' },
    definitionId: { type: 'string' },
    status: { type: 'string' },
    expiresAt: { ...nullableDateTime, description: 'When the trial ends; null for a freemium account or before the account is written (202).' },
  },
} as const;

export const AccountDetail = {
  $id: 'AccountDetail',
  type: 'object',
  required: ['id', 'email', 'rut', 'kind', 'states', 'subscription', 'items', 'invoices', 'stateHistory', 'processes'],
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    rut: { type: 'string' },
    name: { type: 'string' },
    kind: { enum: ['trial', 'freemium'] },
    planCode: { type: 'string' },
    channel: { type: 'string' },
    source: { type: 'string', description: 'The channel of origin (`partner` for partner registrations).' },
    basePrice: { type: 'number' },
    currency: { type: 'string' },
    states: { type: 'object', description: 'conversion, payment, activation, operation' },
    trialEndsAt: nullableDateTime,
    renewalDueAt: nullableDateTime,
    amountDue: { type: 'number' },
    subscription: nullableObject,
    items: { type: 'array' },
    invoices: { type: 'array' },
    stateHistory: { type: 'array' },
    processes: { type: 'array' },
    opportunityId: nullableString,
  },
} as const;

export const UpgradeBody = {
  $id: 'UpgradeBody',
  type: 'object',
  required: ['modules'],
  additionalProperties: false,
  properties: { modules: { ...moduleCodes, description: 'Module codes (see GET /api/modules).' } },
} as const;

export type UpgradeBody = FromSchema<typeof UpgradeBody>;

export const UpgradeAccepted = {
  $id: 'UpgradeAccepted',
  type: 'object',
  required: ['accountId', 'processId', 'modules', 'via'],
  properties: {
    accountId: { type: 'string' },
    processId: { type: 'string' },
    modules: stringList,
    via: { enum: ['trial', 'new-upgrade', 'pending-upgrade'], description: 'The trial in progress, a new account-upgrade process, or the one already waiting for payment.' },
  },
} as const;

/** What any payment carries, whichever route posts it (the account webhook, an invoice's payments). */
export const paymentProperties = {
  amount: { type: 'number', exclusiveMinimum: 0 },
  currency: { type: 'string', pattern: '^[A-Z]{3}$' },
  method: { type: 'string', minLength: 1, maxLength: 50, description: 'e.g. webpay, pse, transfer, card' },
  transactionId: { ...shortText, description: "The store's, bank's or gateway's transaction id." },
  paidAt: dateTime,
} as const;

export const PaymentWebhookBody = {
  $id: 'PaymentWebhookBody',
  type: 'object',
  required: ['accountId', 'amount', 'method', 'transactionId'],
  additionalProperties: false,
  properties: {
    accountId: uuid,
    ...paymentProperties,
    currency: { ...paymentProperties.currency, default: 'CLP' },
  },
} as const;

export type PaymentWebhookBody = FromSchema<typeof PaymentWebhookBody>;

export const PaymentAccepted = {
  $id: 'PaymentAccepted',
  type: 'object',
  required: ['accepted', 'duplicate', 'accountId', 'processId', 'eventId'],
  properties: {
    accepted: { type: 'boolean' },
    duplicate: { type: 'boolean', description: 'true: this Idempotency-Key was delivered before; nothing new happened.' },
    accountId: { type: 'string' },
    processId: { type: 'string' },
    eventId: { type: 'string' },
    amountDue: { type: 'number' },
  },
} as const;

export const accountsSchemas = [CreateAccountBody, CreatedAccount, AccountDetail, UpgradeBody, UpgradeAccepted, PaymentWebhookBody, PaymentAccepted] as const;
