/**
 * Seed 003's sales force (`/consultants`): consultants and customers, newest first, by state, zone and
 * kind; a leader sees their own network (the API scopes it). Each opens the consultant's page.
 */
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { Badge } from '../components/Badge';
import { Pager } from '../components/Pager';
import { ResourceGate } from '../components/States';
import { DateTime } from '../components/Time';
import { usePageTitle } from '../hooks/usePageTitle';
import { useResource } from '../hooks/useResource';
import { useTypedFilter, useUrlFilters } from '../hooks/useUrlFilters';

const LIMIT = 25;
const STATES = ['active', 'inactive', 'pre-registered', 'rejected'];

export function ConsultantsPage() {
  usePageTitle('Consultants');
  const { params, set, clear } = useUrlFilters();
  const filters = { status: params.get('status') ?? '', zone: params.get('zone') ?? '', kind: params.get('kind') ?? '' };
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const [zone, setZone] = useTypedFilter(filters.zone);
  const list = useResource(() => api.consultants({ ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)), limit: LIMIT, offset }), [params.toString()]);
  return (
    <section>
      <h1>Consultants</h1>
      <form className="filters" role="search" aria-label="Filter consultants" onSubmit={(e: FormEvent) => (e.preventDefault(), set({ zone: zone.trim() }))}>
        <label>
          State
          <select value={filters.status} onChange={(e) => set({ status: e.target.value })}>
            <option value="">Any state</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Kind
          <select value={filters.kind} onChange={(e) => set({ kind: e.target.value })}>
            <option value="">Consultants and customers</option>
            <option value="consultant">Consultants</option>
            <option value="customer">Customers</option>
          </select>
        </label>
        <label>
          Zone
          <input value={zone} onChange={(e) => setZone(e.target.value)} placeholder="any" />
        </label>
        <button type="submit">Apply</button>
        <button type="button" onClick={clear}>
          Clear filters
        </button>
      </form>
      <ResourceGate resource={list} what="consultants" failed="The consultants could not be loaded" stale="list" isEmpty={(page) => page.items.length === 0} empty="Nobody matches these filters.">
        {(page) => (
          <>
            <table className="list" aria-label="Consultants">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Document</th>
                  <th scope="col">State</th>
                  <th scope="col">Zone</th>
                  <th scope="col">Registered</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to={`/consultants/${c.id}`}>{c.name}</Link> {c.kind === 'customer' && <span className="muted small">customer</span>}
                    </td>
                    <td>
                      {c.documentType} {c.documentNumber}
                    </td>
                    <td>
                      <Badge value={c.status} />
                    </td>
                    <td>{c.zone}</td>
                    <td>
                      <DateTime at={c.registeredAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager offset={offset} limit={LIMIT} total={page.total} onChange={(o) => set({ offset: o ? String(o) : '' }, { replace: false })} />
          </>
        )}
      </ResourceGate>
    </section>
  );
}
