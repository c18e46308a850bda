/** The funnel report and the billing KPI. Request and response schemas; api/schemas.ts registers them. */
import type { FromSchema } from 'json-schema-to-ts';
import { PAYMENT_MODES, PROSPECT_CHANNELS, UNATTENDED_REASONS } from '../../domain/residential';
import { dateTime, limit, nullableString, offset, page, shortText } from '../shared-schemas';

/** A day (`2026-11-30`, UTC) or an instant with its offset (`2026-11-30T12:00:00-03:00`). */
const dayOrInstant = { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] } as const;

const countAndAmount = {
  type: 'object',
  required: ['count', 'amount'],
  properties: { count: { type: 'integer' }, amount: { type: 'number', description: 'In `currency` (CLP).' } },
} as const;

export const FunnelReportQuery = {
  $id: 'FunnelReportQuery',
  type: 'object',
  required: ['from', 'to'],
  additionalProperties: false,
  properties: {
    from: { ...dayOrInstant, description: 'Start of the period, inclusive (a date is that day at 00:00 UTC).' },
    to: { ...dayOrInstant, description: 'End of the period, exclusive; a date-only `to` includes that whole day (UTC).' },
    channel: { type: 'string', minLength: 1, maxLength: 50, description: "Opportunities of this channel only (`ecommerce`, `landing`, …)." },
    owner: { ...shortText, description: "Opportunities of this owner only: the owner's id or email." },
  },
} as const;

export type FunnelReportQuery = FromSchema<typeof FunnelReportQuery>;

export const FunnelReport = {
  $id: 'FunnelReport',
  type: 'object',
  required: ['period', 'filters', 'stages', 'conversions', 'lost', 'newCustomers', 'mrrCollected', 'rrrWon', 'currency'],
  properties: {
    period: {
      type: 'object',
      required: ['from', 'to'],
      description: 'The half-open interval [from, to) the figures cover.',
      properties: { from: dateTime, to: dateTime },
    },
    filters: {
      type: 'object',
      required: ['channel', 'owner'],
      properties: {
        channel: nullableString,
        owner: {
          type: ['object', 'null'],
          required: ['id', 'name', 'email'],
          properties: { id: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' } },
        },
      },
    },
    stages: {
      type: 'array',
      description: 'Each funnel stage in order: distinct opportunities that entered it in the period.',
      items: { type: 'object', required: ['stage', 'count'], properties: { stage: { type: 'string' }, count: { type: 'integer' } } },
    },
    conversions: {
      type: 'array',
      description: 'Each consecutive pair: share of those that entered `from` that also entered `to` or a later stage (null: none entered `from`).',
      items: {
        type: 'object',
        required: ['from', 'to', 'rate'],
        properties: { from: { type: 'string' }, to: { type: 'string' }, rate: { type: ['number', 'null'], minimum: 0, maximum: 1 } },
      },
    },
    lost: { type: 'integer', description: 'Distinct opportunities that entered opportunity-lost.' },
    newCustomers: { type: 'integer', description: 'First-period invoices issued.' },
    mrrCollected: { ...countAndAmount, description: 'MRR collected: upgrade invoices issued and renewal invoices (recurring billing) paid in the period.' },
    rrrWon: { ...countAndAmount, description: 'Subscription items activated and neither paid nor revoked before the period ends.' },
    currency: { type: 'string', enum: ['CLP'] },
  },
} as const;

export const BillingKpiQuery = {
  $id: 'BillingKpiQuery',
  type: 'object',
  required: ['month'],
  additionalProperties: false,
  properties: {
    // The form (MONTH_PATTERN) is the service's check, so a malformed month is a 422 naming it, like one to come.
    month: { type: 'string', minLength: 1, maxLength: 20, description: 'The month (`YYYY-MM`, in Bolivia) to judge: this one or an earlier one.' },
  },
} as const;

export type BillingKpiQuery = FromSchema<typeof BillingKpiQuery>;

const kpiMonth = {
  type: 'object',
  required: ['month', 'volume', 'ratio', 'verdict'],
  properties: {
    month: { type: 'string' },
    volume: { type: 'integer', description: 'Invoices issued in the month, in BOB minor units (centavos).' },
    ratio: { type: ['number', 'null'], description: "volume / the month before's volume × 100, two decimals; null when the month before billed nothing." },
    verdict: { type: 'string', enum: ['APPROVED', 'OBSERVED'] },
  },
} as const;

export const BillingKpi = {
  $id: 'BillingKpi',
  type: 'object',
  required: ['month', 'currency', 'thisMonth', 'lastMonth', 'ratio', 'verdict', 'approvedAtPercent', 'trend'],
  properties: {
    month: { type: 'string' },
    currency: { type: 'string', enum: ['BOB'] },
    thisMonth: { type: 'integer', description: 'Billing volume of `month`, in minor units.' },
    lastMonth: { type: 'integer', description: 'Billing volume of the month before, in minor units.' },
    ratio: kpiMonth.properties.ratio,
    verdict: { type: 'string', enum: ['APPROVED', 'OBSERVED'], description: 'APPROVED at a ratio of `approvedAtPercent` or more (or with billing after a month of none).' },
    approvedAtPercent: { type: 'number' },
    trend: { type: 'array', description: 'The 12 months ending at `month`, oldest first.', items: kpiMonth },
  },
} as const;

export const UnattendedRequestsQuery = {
  $id: 'UnattendedRequestsQuery',
  type: 'object',
  additionalProperties: false,
  properties: {
    open: { type: 'boolean', default: false, description: 'Only the requests no re-entry took up.' },
    limit,
    offset,
  },
} as const;

export type UnattendedRequestsQuery = FromSchema<typeof UnattendedRequestsQuery>;

export const DigitalSalesQuery = {
  $id: 'DigitalSalesQuery',
  type: 'object',
  required: ['month'],
  additionalProperties: false,
  properties: {
    month: BillingKpiQuery.properties.month,
    format: { type: 'string', enum: ['json', 'csv', 'xlsx'], default: 'json', description: 'json, or a file: csv (the sales) or xlsx (summary and sales sheets).' },
  },
} as const;

export type DigitalSalesQuery = FromSchema<typeof DigitalSalesQuery>;

/** A count per key (every key present). */
const counts = <const K extends readonly string[]>(keys: K) => ({ type: 'object', required: keys, additionalProperties: { type: 'integer' } }) as const;

export const DigitalSalesReport = {
  $id: 'DigitalSalesReport',
  type: 'object',
  required: ['month', 'prospects', 'closed', 'inProgress', 'billing', 'sales'],
  properties: {
    month: { type: 'string' },
    prospects: { type: 'object', required: ['total', 'byChannel'], description: 'Sales started in the month, by where the prospect came from.', properties: { total: { type: 'integer' }, byChannel: counts(PROSPECT_CHANNELS) } },
    closed: {
      type: 'object',
      description: 'Sales that ended in the month, by how.',
      required: ['sold', 'unattended', 'businessHandovers', 'cancelled'],
      properties: {
        sold: { type: 'object', required: ['total', 'byPaymentMode'], properties: { total: { type: 'integer' }, byPaymentMode: counts(PAYMENT_MODES) } },
        unattended: { type: 'object', required: ['total', 'byReason'], properties: { total: { type: 'integer' }, byReason: counts(UNATTENDED_REASONS) } },
        businessHandovers: { type: 'integer' },
        cancelled: { type: 'integer' },
      },
    },
    inProgress: { type: 'integer', description: 'Sales started in the month and still running.' },
    billing: { type: 'object', description: "The month's billing KPI (GET /api/reports/billing-kpi).", required: ['currency', 'thisMonth', 'lastMonth', 'ratio', 'verdict'] },
    sales: {
      type: 'array',
      description: 'The sales that ended in the month, in the order they ended.',
      items: {
        type: 'object',
        required: ['processId', 'businessKey', 'status', 'outcome', 'stage', 'channel', 'customerName', 'plan', 'paymentMode', 'unattendedReason', 'executive', 'startedAt', 'endedAt'],
      },
    },
  },
} as const;

/** One unattended request, as the report lists it. */
const unattendedRequest = {
  type: 'object',
  required: ['processId', 'businessKey', 'reasonCode', 'reason', 'customerName', 'phone', 'owner', 'createdAt', 'ageDays', 'reenteredAs'],
  properties: {
    processId: { type: 'string' },
    businessKey: { type: 'string' },
    reasonCode: { type: 'string', enum: UNATTENDED_REASONS },
    reason: { type: 'string' },
    customerName: { type: 'string' },
    phone: nullableString,
    owner: { type: 'string', description: 'The executive who worked the request.' },
    createdAt: dateTime,
    ageDays: { type: 'integer', description: 'Whole days since the request ended unattended.' },
    reenteredAs: { ...nullableString, description: 'The instance a re-entry started from it.' },
  },
} as const;

/** Oldest first. */
export const UnattendedRequests = { $id: 'UnattendedRequests', ...page(unattendedRequest) } as const;

export const reportsSchemas = [FunnelReportQuery, FunnelReport, BillingKpiQuery, BillingKpi, DigitalSalesQuery, DigitalSalesReport, UnattendedRequestsQuery, UnattendedRequests] as const;
