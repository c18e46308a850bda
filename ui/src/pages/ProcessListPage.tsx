/** Operators' list of process instances, filtered on the server and paginated; filters live in the address. */
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { Badge } from '../components/Badge';
import { Pager } from '../components/Pager';
import { ErrorMessage, ResourceGate } from '../components/States';
import { DateTime } from '../components/Time';
import { usePageTitle } from '../hooks/usePageTitle';
import { useResource } from '../hooks/useResource';
import { useTypedFilter, useUrlFilters } from '../hooks/useUrlFilters';

const LIMIT = 20;
const STATUSES = ['running', 'completed', 'cancelled', 'failed', 'terminated', 'timed_out'];

export function ProcessListPage() {
  usePageTitle('Processes');
  const { params, set, clear } = useUrlFilters();
  const filters = {
    definitionId: params.get('definitionId') ?? '',
    version: params.get('version') ?? '',
    status: params.get('status') ?? '',
    stage: params.get('stage') ?? '',
    businessKey: params.get('businessKey') ?? '',
  };
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  // Typed filters apply on submit; choices in a list apply at once.
  const [businessKey, setBusinessKey] = useTypedFilter(filters.businessKey);
  const [stage, setStage] = useTypedFilter(filters.stage);

  const definitions = useResource(() => api.definitions(), []);
  const selected = useResource(() => (filters.definitionId ? api.definition(filters.definitionId) : Promise.resolve(undefined)), [filters.definitionId]);
  const list = useResource(
    () => api.processes({ ...filters, version: filters.version ? Number(filters.version) : undefined, limit: LIMIT, offset }),
    [params.toString()],
    5_000,
  );

  const versions = selected.data?.versions ?? [];
  const stages = selected.data?.definition.stages ?? [];

  return (
    <section>
      <h1>Processes</h1>
      <form
        className="filters"
        role="search"
        aria-label="Filter processes"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          set({ businessKey: businessKey.trim(), ...(stages.length > 0 ? {} : { stage: stage.trim() }) });
        }}
      >
        <label>
          Definition
          <select value={filters.definitionId} onChange={(e) => set({ definitionId: e.target.value, version: '', stage: '' })}>
            <option value="">All definitions</option>
            {definitions.data?.items.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({d.id})
              </option>
            ))}
          </select>
        </label>
        <label>
          Version
          <select value={filters.version} disabled={!filters.definitionId} onChange={(e) => set({ version: e.target.value })}>
            <option value="">All versions</option>
            {versions.map((v) => (
              <option key={v.version} value={String(v.version)}>
                v{v.version}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={filters.status} onChange={(e) => set({ status: e.target.value })}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Stage
          {stages.length > 0 ? (
            <select value={filters.stage} onChange={(e) => set({ stage: e.target.value })}>
              <option value="">Any stage</option>
              {stages.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          ) : (
            <input value={stage} placeholder="any" onChange={(e) => setStage(e.target.value)} />
          )}
        </label>
        <label>
          Business key
          <input type="search" value={businessKey} onChange={(e) => setBusinessKey(e.target.value)} placeholder="exact key" />
        </label>
        <button type="submit">Apply</button>
        <button type="button" onClick={clear}>
          Clear filters
        </button>
      </form>
      {definitions.error && <ErrorMessage error={definitions.error} title="The definitions for the filter could not be loaded" />}

      <ResourceGate
        resource={list}
        what="processes"
        failed="The processes could not be loaded"
        stale="list"
        isEmpty={(page) => page.items.length === 0}
        empty="No process instance matches these filters."
      >
        {(page) => (
          <>
            <table className="list" aria-label="Process instances">
              <thead>
                <tr>
                  <th scope="col">Business key</th>
                  <th scope="col">Definition</th>
                  <th scope="col">Status</th>
                  <th scope="col">Stage</th>
                  <th scope="col">Started</th>
                  <th scope="col">Last change</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((p) => (
                  <tr key={p.id} data-process-id={p.id}>
                    <td>
                      <Link to={`/processes/${p.id}`}>{p.businessKey}</Link>
                    </td>
                    <td>
                      {p.definitionId} <span className="muted">v{p.version}</span>
                    </td>
                    <td>
                      <Badge value={p.status} />
                      {p.outcome && <span className="muted"> {p.outcome}</span>}
                    </td>
                    <td>{p.stage ?? <span className="muted">—</span>}</td>
                    <td>
                      <DateTime at={p.startedAt} /> <span className="muted">by {p.startedBy}</span>
                    </td>
                    <td>
                      <DateTime at={p.updatedAt} />
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
