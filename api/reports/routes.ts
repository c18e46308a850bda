import { defineRoute, type RouteDef } from '../routing';
import { BillingKpi, BillingKpiQuery, FunnelReport, FunnelReportQuery, UnattendedRequests, UnattendedRequestsQuery } from './schemas';
import { errorReply } from '../shared-schemas';
import { FEATURE_ROLES } from '../../workflows/policy';
import type { ReportService } from './service';

export function reportRoutes(reports: ReportService): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/reports/funnel',
      summary: 'Digital-sale funnel for a period: opportunities per stage, conversion rates, lost, new customers, MRR collected, RRR won',
      tag: 'reports',
      auth: { roles: FEATURE_ROLES.funnelReport },
      query: FunnelReportQuery,
      responses: {
        200: { description: 'The figures (definitions in docs/DIGITAL-SALE.md)', schema: FunnelReport },
        422: errorReply('`to` before `from` (invalid_period), unknown channel (unknown_channel) or owner (unknown_owner); details name the parameter'),
      },
      handler: ({ query }) => reports.funnel(query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/reports/billing-kpi',
      summary: "Seed 002's monthly billing KPI: the month's billing volume (BOB) against the month before × 100, APPROVED at 98 % or more, with the 12-month trend",
      tag: 'reports',
      auth: { roles: FEATURE_ROLES.billingKpi },
      query: BillingKpiQuery,
      responses: {
        200: { description: 'The KPI of the month and its trend', schema: BillingKpi },
        422: errorReply('A month that is not `YYYY-MM` (invalid_month), or one after the current month in Bolivia (month_in_future); details name `month`'),
      },
      handler: ({ query }) => reports.billingKpi(query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/reports/unattended-requests',
      summary: "Seed 002's unattended requests (no coverage, no capacity, offer refused, no payment): each with its reason, age and owner, oldest first",
      tag: 'reports',
      auth: { roles: FEATURE_ROLES.unattendedRequests },
      query: UnattendedRequestsQuery,
      responses: { 200: { description: 'The requests', schema: UnattendedRequests } },
      handler: ({ query }) => reports.unattendedRequests(query),
    }),
  ];
}
