/**
 * Support's list of tickets (seed 001), newest first, by status or customer; each opens the process
 * that works it, where the conversation and the task to answer are.
 */
import { Link } from 'react-router';
import { api } from '../api/client';
import { Badge } from '../components/Badge';
import { Pager } from '../components/Pager';
import { ResourceGate } from '../components/States';
import { DateTime } from '../components/Time';
import { usePageTitle } from '../hooks/usePageTitle';
import { useResource } from '../hooks/useResource';
import { useUrlFilters } from '../hooks/useUrlFilters';
import { TICKET_STATUSES } from '../../../domain/tickets';

const LIMIT = 25;
const STATUS_TITLE: Record<(typeof TICKET_STATUSES)[number], string> = { open: 'With support', 'waiting-customer': "Waiting for the customer's answer", closed: 'Closed' };

export function TicketsPage() {
  usePageTitle('Support tickets');
  const { params, set, clear } = useUrlFilters();
  const status = params.get('status') ?? '';
  const customerId = params.get('customerId') ?? '';
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const list = useResource(() => api.tickets({ status: status || undefined, ...(customerId ? { customerId } : {}), limit: LIMIT, offset }), [params.toString()], 10_000);
  return (
    <section>
      <h1>Support tickets</h1>
      <form className="filters" role="search" aria-label="Filter tickets" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select value={status} onChange={(e) => set({ status: e.target.value })}>
            <option value="">Any status</option>
            {TICKET_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_TITLE[s]}
              </option>
            ))}
          </select>
        </label>
        {customerId && <span className="small">One customer's tickets</span>}
        <button type="button" onClick={clear}>
          Clear filters
        </button>
      </form>
      <ResourceGate resource={list} what="tickets" failed="The tickets could not be loaded" stale="list" isEmpty={(page) => page.items.length === 0} empty="No ticket matches these filters.">
        {(page) => (
          <>
            <table className="list" aria-label="Support tickets">
              <thead>
                <tr>
                  <th scope="col">Ticket</th>
                  <th scope="col">Status</th>
                  <th scope="col">Opened</th>
                  <th scope="col">First answer</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((t) => (
                  <tr key={t.id}>
                    <td>
                      <Link to={`/processes/${encodeURIComponent(t.processId)}`}>
                        N° {t.number}: {t.subject}
                      </Link>
                    </td>
                    <td>
                      <Badge value={t.status} />
                    </td>
                    <td>
                      <DateTime at={t.createdAt} /> <span className="muted small">{t.openedVia === 'portal' ? 'portal' : 'staff'}</span>
                    </td>
                    <td>{t.firstResponseAt ? <DateTime at={t.firstResponseAt} /> : <span className="muted">not yet</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager offset={offset} limit={LIMIT} total={page.total} onChange={(o) => set({ offset: o ? String(o) : '' })} />
          </>
        )}
      </ResourceGate>
    </section>
  );
}
