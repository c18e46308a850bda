/**
 * Seed 002's monthly billing KPI: the month's billing against the month before (APPROVED at 98 % or
 * more), and the 12-month trend as bars, one per month, coloured by verdict. The chart is plain SVG:
 * twelve bars need no chart library, and the table under it says the same for screen readers.
 */
import { MonthField, useMonthParam } from '../components/MonthField';
import { api } from '../api/client';
import type { BillingKpi, KpiMonth } from '../api/types';
import { ResourceGate } from '../components/States';
import { usePageTitle } from '../hooks/usePageTitle';
import { useResource } from '../hooks/useResource';
import { localMoney } from '../../../domain/money';


const money = (minor: number, currency: string) => localMoney(minor, currency, 'en-US');
const percent = (ratio: number | null) => (ratio === null ? 'no billing the month before' : `${ratio.toFixed(2)} %`);

function TrendChart({ trend, currency }: { trend: KpiMonth[]; currency: string }) {
  const width = 720;
  const height = 220;
  const top = 16;
  const bottom = 36;
  const max = Math.max(1, ...trend.map((m) => m.volume));
  const slot = width / trend.length;
  return (
    <svg className="kpi-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Billing volume per month, ${trend[0]?.month} to ${trend[trend.length - 1]?.month}`}>
      {trend.map((m, i) => {
        const h = ((height - top - bottom) * m.volume) / max;
        const x = i * slot + slot * 0.15;
        return (
          <g key={m.month} className={`kpi-bar ${m.verdict === 'APPROVED' ? 'approved' : 'observed'}`}>
            <title>{`${m.month}: ${money(m.volume, currency)}, ${percent(m.ratio)}, ${m.verdict}`}</title>
            <rect x={x} y={height - bottom - h} width={slot * 0.7} height={Math.max(h, 1)} />
            <text x={x + slot * 0.35} y={height - bottom + 16} textAnchor="middle">
              {m.month.slice(2)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function Kpi({ kpi }: { kpi: BillingKpi }) {
  const before = kpi.trend.length > 1 ? kpi.trend[kpi.trend.length - 2].month : 'the month before';
  return (
    <>
      <div className="card">
        <p className={`kpi-verdict ${kpi.verdict === 'APPROVED' ? 'approved' : 'observed'}`} role="status">
          {kpi.month}: <strong>{kpi.verdict}</strong>
        </p>
        <p>
          Billed {money(kpi.thisMonth, kpi.currency)} against {money(kpi.lastMonth, kpi.currency)} in {before}: {percent(kpi.ratio)} (approved at {kpi.approvedAtPercent} % or more).
        </p>
      </div>
      <div className="card">
        <h2>The last 12 months</h2>
        <TrendChart trend={kpi.trend} currency={kpi.currency} />
        <table>
          <caption className="muted">Billing volume per month ({kpi.currency})</caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col">Billed</th>
              <th scope="col">Against the month before</th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {kpi.trend.map((m) => (
              <tr key={m.month}>
                <td>{m.month}</td>
                <td>{money(m.volume, kpi.currency)}</td>
                <td>{percent(m.ratio)}</td>
                <td>{m.verdict}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function BillingKpiPage() {
  usePageTitle('Billing KPI');
  const [month, setMonth] = useMonthParam();
  const kpi = useResource(() => api.billingKpi(month), [month]);
  return (
    <section>
      <h1>Billing KPI</h1>
      <p className="muted">Residential digital sales (COMTECO): each month&apos;s billing volume against the month before × 100.</p>
      <MonthField month={month} onChange={setMonth} />
      <ResourceGate resource={kpi} what="the KPI" failed="The KPI could not be loaded" stale="KPI">
        {(k) => <Kpi kpi={k} />}
      </ResourceGate>
    </section>
  );
}
