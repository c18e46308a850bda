/**
 * Back-office inbox: the open tasks the user's roles may take (or assigned to them), most urgent
 * first. Who/which role is asked of the API; the process, text and overdue filters and the sort
 * order apply to the loaded tasks (the API answers at most 200 at a time, and says how many match).
 */
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api, asApiError, type ApiError } from '../api/client';
import type { Task } from '../api/types';
import { Badge } from '../components/Badge';
import { ErrorMessage, ResourceGate } from '../components/States';
import { Age, Due } from '../components/Time';
import { usePageTitle } from '../hooks/usePageTitle';
import { useResource } from '../hooks/useResource';
import { useUrlFilters } from '../hooks/useUrlFilters';
import { useSession } from '../session/SessionProvider';

const PAGE = 200;

const SORTS: Record<string, { label: string; compare?: (a: Task, b: Task) => number }> = {
  due: { label: 'Most urgent first' },
  newest: { label: 'Newest first', compare: (a, b) => b.createdAt.localeCompare(a.createdAt) },
  oldest: { label: 'Oldest first', compare: (a, b) => a.createdAt.localeCompare(b.createdAt) },
  title: { label: 'Title (A–Z)', compare: (a, b) => a.title.localeCompare(b.title) },
  process: { label: 'Process, then business key', compare: (a, b) => `${a.definitionId}/${a.businessKey}`.localeCompare(`${b.definitionId}/${b.businessKey}`) },
};

export function InboxPage() {
  usePageTitle('Inbox');
  const { user } = useSession();
  const { params, set } = useUrlFilters();
  const scope = params.get('scope') ?? 'all';
  const process = params.get('process') ?? '';
  const text = params.get('q') ?? '';
  const overdueOnly = params.get('overdue') === '1';
  const sort = SORTS[params.get('sort') ?? 'due'] ? (params.get('sort') ?? 'due') : 'due';

  const query = scope === 'mine' ? { assignee: 'me' } : scope.startsWith('role:') ? { role: scope.slice(5) } : {};
  const tasks = useResource(() => api.tasks({ ...query, limit: PAGE }), [scope], 15_000);

  const [busy, setBusy] = useState<string>();
  const [actionError, setActionError] = useState<ApiError>();

  async function act(task: Task, action: 'claim' | 'release') {
    setBusy(task.id);
    setActionError(undefined);
    try {
      await (action === 'claim' ? api.claimTask(task.id) : api.releaseTask(task.id));
    } catch (err) {
      setActionError(asApiError(err));
    } finally {
      await tasks.reload();
      setBusy(undefined);
    }
  }

  const processes = useMemo(() => [...new Set((tasks.data?.items ?? []).map((t) => t.definitionId ?? ''))].filter(Boolean).sort(), [tasks.data]);
  const shown = useMemo(() => {
    const needle = text.trim().toLowerCase();
    const list = (tasks.data?.items ?? []).filter(
      (t) =>
        (!process || t.definitionId === process) &&
        (!overdueOnly || t.overdue) &&
        (!needle || `${t.title} ${t.businessKey ?? ''} ${t.stepId}`.toLowerCase().includes(needle)),
    );
    const compare = SORTS[sort].compare;
    return compare ? [...list].sort(compare) : list;
  }, [tasks.data, process, overdueOnly, text, sort]);

  return (
    <section>
      <h1>Inbox</h1>
      <form className="filters" role="search" aria-label="Filter tasks" onSubmit={(e) => e.preventDefault()}>
        <label>
          Show
          <select value={scope} onChange={(e) => set({ scope: e.target.value === 'all' ? '' : e.target.value })}>
            <option value="all">Tasks for my roles</option>
            <option value="mine">Claimed by me</option>
            {user?.roles.map((r) => (
              <option key={r} value={`role:${r}`}>
                Role {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          Process
          <select value={process} onChange={(e) => set({ process: e.target.value })}>
            <option value="">All processes</option>
            {processes.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search
          <input type="search" placeholder="Title or business key" value={text} onChange={(e) => set({ q: e.target.value })} />
        </label>
        <label className="inline">
          <input type="checkbox" checked={overdueOnly} onChange={(e) => set({ overdue: e.target.checked ? '1' : '' })} /> Overdue only
        </label>
        <label>
          Sort
          <select value={sort} onChange={(e) => set({ sort: e.target.value === 'due' ? '' : e.target.value })}>
            {Object.entries(SORTS).map(([key, s]) => (
              <option key={key} value={key}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void tasks.reload()}>
          Refresh
        </button>
      </form>

      {actionError && <ErrorMessage error={actionError} title="The task could not be changed" />}
      <ResourceGate
        resource={tasks}
        what="your tasks"
        failed="Your tasks could not be loaded"
        stale="list"
        isEmpty={() => shown.length === 0}
        empty={tasks.data?.items.length ? 'No task matches these filters.' : 'Nothing to do: no open task for your roles.'}
      >
        {(page) => (
          <>
            <table className="list" aria-label="Tasks">
              <thead>
                <tr>
                  <th scope="col">Task</th>
                  <th scope="col">Process</th>
                  <th scope="col">Business key</th>
                  <th scope="col">Age</th>
                  <th scope="col">Due</th>
                  <th scope="col">Claimed by</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((t) => (
                  <tr key={t.id} className={t.overdue ? 'row-overdue' : undefined} data-task-id={t.id}>
                    <td>
                      <Link to={`/tasks/${t.id}`}>{t.title}</Link>
                      {t.overdue && (
                        <>
                          {' '}
                          <Badge value="overdue" />
                        </>
                      )}
                    </td>
                    <td>{t.definitionId}</td>
                    <td>{t.businessKey}</td>
                    <td>
                      <Age since={t.createdAt} />
                    </td>
                    <td>
                      <Due at={t.dueAt} overdue={t.overdue} />
                    </td>
                    <td>{t.assignee ?? <span className="muted">nobody</span>}</td>
                    <td className="actions">
                      {t.assignee === user?.username ? (
                        <button type="button" disabled={busy === t.id} onClick={() => void act(t, 'release')} aria-label={`Release ${t.title}`}>
                          {busy === t.id ? 'Releasing…' : 'Release'}
                        </button>
                      ) : !t.assignee ? (
                        <button type="button" disabled={busy === t.id} onClick={() => void act(t, 'claim')} aria-label={`Claim ${t.title}`}>
                          {busy === t.id ? 'Claiming…' : 'Claim'}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted small">
              {shown.length} shown of {page.total} open task{page.total === 1 ? '' : 's'}
              {page.total > PAGE ? ` (the ${PAGE} most urgent are loaded)` : ''}.
            </p>
          </>
        )}
      </ResourceGate>
    </section>
  );
}
