import { defineRoute, type RouteDef } from '../routing';
import { FunnelReport, FunnelReportQuery } from './schemas';
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
  ];
}
