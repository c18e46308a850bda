/**
 * A seed-001 lead's records beside its timeline on the process page: its notes, its estimates (built
 * there: components/LeadEstimates.tsx) and, once
 * it is a customer, its invoices and support tickets. Each list is what the viewer's roles may read;
 * one they may not (403) is simply not shown.
 */
import { useEffect, useState } from 'react';
import { api, asApiError } from '../api/client';
import type { ProcessDetail } from '../api/types';
import { localMoney } from '../../../domain/money';
import { LeadEstimates } from './LeadEstimates';

const money = (minor: number, currency: string) => localMoney(minor, currency, 'es-CO');
const day = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString('es-CO', { dateStyle: 'medium' }) : '');

type Row = { key: string; text: string; detail?: string };

/** One list, loaded once; hidden when the viewer may not read it or it is empty. */
function Records({ title, load }: { title: string; load: () => Promise<Row[]> }) {
  const [rows, setRows] = useState<Row[] | null>();
  useEffect(() => {
    load().then(setRows, (err) => (asApiError(err).status === 403 || asApiError(err).status === 404 ? setRows(null) : setRows([{ key: 'error', text: asApiError(err).message }])));
    // Loaded once per process page: the records change with the process, which reloads the page's data.
  }, []);
  if (!rows || rows.length === 0) return null;
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      <ul className="records">
        {rows.map((r) => (
          <li key={r.key}>
            {r.text} {r.detail && <span className="muted small">{r.detail}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function LeadRecords({ process }: { process: ProcessDetail }) {
  const customerId = (process.variables as { customer?: { customerId?: string } }).customer?.customerId;
  return (
    <>
      <Records title="Notes" load={async () => (await api.leadNotes(process.id)).items.map((n) => ({ key: n.id, text: n.body, detail: `${n.author}, ${day(n.createdAt)}` }))} />
      <LeadEstimates process={process} />
      {customerId && (
        <>
          <Records title="Invoices" load={async () => (await api.customerInvoices(customerId)).items.map((i) => ({ key: i.id, text: `${i.number ? `N° ${i.number}` : 'Draft'}: ${money(i.amountMinor, i.currency)}`, detail: `${i.status}${i.issuedAt ? `, ${day(i.issuedAt)}` : ''}` }))} />
          <Records title="Support tickets" load={async () => (await api.customerTickets(customerId)).items.map((t) => ({ key: t.id, text: `N° ${t.number}: ${t.subject}`, detail: t.status }))} />
        </>
      )}
    </>
  );
}
