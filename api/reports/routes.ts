import { defineRoute, type RouteDef } from '../routing';
import type { Response } from 'express';
import { BillingKpi, BillingKpiQuery, DigitalSalesQuery, DigitalSalesReport, FunnelReport, FunnelReportQuery, UnattendedRequests, UnattendedRequestsQuery } from './schemas';
import { sendSheets, type Sheet } from './export';
import { errorReply } from '../shared-schemas';
import { FEATURE_ROLES } from '../../workflows/policy';
import type { ReportService } from './service';
import { decimalAmount } from '../../domain/money';

type DigitalSales = Awaited<ReturnType<ReportService['digitalSales']>>;

/** The digital-sales report as a person opens it in a spreadsheet: the summary, then the month's sales. */
function digitalSalesSheets(r: DigitalSales): Sheet[] {
  const figure = (name: string, value: unknown) => ({ figure: name, value });
  return [
    {
      name: 'Ventas',
      columns: [
        { header: 'Ended', key: 'endedAt', width: 26 }, { header: 'Customer', key: 'customerName', width: 28 }, { header: 'Outcome', key: 'outcome' },
        { header: 'Plan', key: 'plan', width: 18 }, { header: 'Payment mode', key: 'paymentMode', width: 16 }, { header: 'Unattended reason', key: 'unattendedReason', width: 18 },
        { header: 'Channel', key: 'channel' }, { header: 'Executive', key: 'executive', width: 22 }, { header: 'Started', key: 'startedAt', width: 26 },
        { header: 'Business key', key: 'businessKey', width: 24 }, { header: 'Process', key: 'processId', width: 38 },
      ],
      rows: r.sales,
    },
    {
      name: 'Resumen',
      columns: [{ header: 'Figure', key: 'figure', width: 34 }, { header: r.month, key: 'value', width: 14 }],
      rows: [
        figure('prospects', r.prospects.total),
        ...Object.entries(r.prospects.byChannel).map(([c, n]) => figure(`prospects: ${c}`, n)),
        figure('sold', r.closed.sold.total),
        ...Object.entries(r.closed.sold.byPaymentMode).map(([m, n]) => figure(`sold: ${m}`, n)),
        figure('unattended', r.closed.unattended.total),
        ...Object.entries(r.closed.unattended.byReason).map(([m, n]) => figure(`unattended: ${m}`, n)),
        figure('handed over to business sales', r.closed.businessHandovers),
        figure('cancelled', r.closed.cancelled),
        figure('in progress', r.inProgress),
        figure(`billing (${r.billing.currency})`, decimalAmount(r.billing.thisMonth)),
        figure(`billing the month before (${r.billing.currency})`, decimalAmount(r.billing.lastMonth)),
        figure('billing KPI (%)', r.billing.ratio ?? '-'),
        figure('billing KPI verdict', r.billing.verdict),
      ],
    },
  ];
}

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
      path: '/api/reports/digital-sales',
      summary: "Seed 002's general digital-sales report of a month (for the head of sales): prospects by channel, sales closed by payment mode, unattended by reason, the billing KPI and the month's sales; as JSON, CSV or XLSX",
      tag: 'reports',
      auth: { roles: FEATURE_ROLES.digitalSalesReport },
      query: DigitalSalesQuery,
      responses: {
        200: { description: 'The report (format=csv: the sales as text/csv; format=xlsx: a workbook with the sales and the summary)', schema: DigitalSalesReport },
        422: errorReply('A month that is not `YYYY-MM` (invalid_month), or one after the current month (month_in_future)'),
      },
      handler: async ({ query, req }) => {
        const report = await reports.digitalSales(query);
        if (query.format === 'json') return report;
        await sendSheets(req.res as Response, query.format, `ventas-digitales-${report.month}`, digitalSalesSheets(report));
        return undefined;
      },
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
