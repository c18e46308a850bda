/**
 * Seed 002's reports for the leads: the general digital-sales report of a month (with its CSV and
 * XLSX downloads) and the unattended requests, each of which the digital channels lead may re-enter.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { api, asApiError, type ApiError } from '../api/client';
import type { DigitalSalesReport, UnattendedRequest } from '../api/types';
import { Empty, ErrorMessage, ResourceGate } from '../components/States';
import { DateTime } from '../components/Time';
import { usePageTitle } from '../hooks/usePageTitle';
import { useResource } from '../hooks/useResource';
import { useSession } from '../session/SessionProvider';
import { holdsFeature } from '../session/features';
import { MonthField, useMonthParam } from '../components/MonthField';
import { plainMoney } from '../../../domain/money';

const breakdown = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || 'none';

function Summary({ report }: { report: DigitalSalesReport }) {
  const [error, setError] = useState<ApiError>();
  const download = (format: 'csv' | 'xlsx') => {
    setError(undefined);
    api.downloadDigitalSales(report.month, format).catch((err: unknown) => setError(asApiError(err)));
  };
  const { closed, billing } = report;
  return (
    <div className="card">
      <table className="report-figures">
        <tbody>
          {[
            ['Prospects', `${report.prospects.total} (${breakdown(report.prospects.byChannel)})`],
            ['Sold', `${closed.sold.total} (${breakdown(closed.sold.byPaymentMode)})`],
            ['Unattended', `${closed.unattended.total} (${breakdown(closed.unattended.byReason)})`],
            ['Handed over to business sales', String(closed.businessHandovers)],
            ['Cancelled', String(closed.cancelled)],
            ['In progress', String(report.inProgress)],
            ['Billing', `${plainMoney(billing.thisMonth, billing.currency)} (${billing.ratio === null ? 'no billing the month before' : `${billing.ratio.toFixed(2)} %`}, ${billing.verdict})`],
          ].map(([figure, value]) => (
            <tr key={figure}>
              <th scope="row">{figure}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="button-row">
        <button type="button" onClick={() => download('xlsx')}>Download XLSX</button>
        <button type="button" onClick={() => download('csv')}>Download CSV</button>
      </div>
      {error && <ErrorMessage error={error} title="The report could not be downloaded" />}
    </div>
  );
}

/** The open requests; one re-entered here keeps its row, with a link to its new sale, until the page reloads. */
function Unattended({ items, canReenter }: { items: UnattendedRequest[]; canReenter: boolean }) {
  const [error, setError] = useState<ApiError>();
  const [started, setStarted] = useState<Record<string, string>>({});
  if (items.length === 0) return <Empty>No unattended request waiting.</Empty>;
  return (
    <>
      {error && <ErrorMessage error={error} title="The sale could not be re-entered" />}
      <table>
        <thead>
          <tr>
            <th scope="col">Since</th>
            <th scope="col">Customer</th>
            <th scope="col">Reason</th>
            <th scope="col">Owner</th>
            <th scope="col">Sale</th>
            {canReenter && <th scope="col">Re-entry</th>}
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.processId} data-process-id={r.processId}>
              <td>
                <DateTime at={r.createdAt} /> <span className="muted">({r.ageDays} d)</span>
              </td>
              <td>
                {r.customerName}
                {r.phone && <span className="muted"> {r.phone}</span>}
              </td>
              <td>{r.reason}</td>
              <td>{r.owner}</td>
              <td>
                <Link to={`/processes/${encodeURIComponent(r.processId)}`}>{r.businessKey}</Link>
              </td>
              {canReenter && (
                <td>
                  {started[r.processId] ? (
                    <Link to={`/processes/${encodeURIComponent(started[r.processId])}`}>New sale</Link>
                  ) : (
                    <button
                      type="button"
                      onClick={() => {
                        setError(undefined);
                        api
                          .reenter(r.processId)
                          .then((res) => setStarted((s) => ({ ...s, [r.processId]: res.id })))
                          .catch((err: unknown) => setError(asApiError(err)));
                      }}
                    >
                      Re-enter
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function ResidentialReportsPage() {
  usePageTitle('Digital sales');
  const { user } = useSession();
  const [month, setMonth] = useMonthParam();
  const report = useResource(() => api.digitalSales(month), [month]);
  const unattended = useResource(() => api.unattendedRequests(true), []);
  const canReenter = holdsFeature(user, 'reenterSales');
  return (
    <section>
      <h1>Digital sales</h1>
      <p className="muted">Residential digital sales (COMTECO), by La Paz month: the report for the head of sales.</p>
      <MonthField month={month} onChange={setMonth} />
      <ResourceGate resource={report} what="the report" failed="The report could not be loaded" stale="report">
        {(r) => <Summary report={r} />}
      </ResourceGate>
      <div className="card">
        <h2>Unattended requests</h2>
        <ResourceGate resource={unattended} what="the unattended requests" failed="The unattended requests could not be loaded" stale="list">
          {(page) => <Unattended items={page.items} canReenter={canReenter} />}
        </ResourceGate>
      </div>
    </section>
  );
}
