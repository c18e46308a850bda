/**
 * One instance for operators: its live state (current steps, stage, open tasks, variables) and its
 * timeline, refreshed every few seconds while it runs; cancel; the same instance in Temporal's UI.
 */
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import type { ProcessDetail } from '../api/types';
import { Badge } from '../components/Badge';
import { CancelProcessDialog } from '../components/CancelProcessDialog';
import { JsonView } from '../components/JsonView';
import { Empty, ErrorMessage, Loading } from '../components/States';
import { DateTime, Due } from '../components/Time';
import { Timeline } from '../components/Timeline';
import { usePageTitle } from '../hooks/usePageTitle';
import { useResource } from '../hooks/useResource';

const REFRESH_MS = 2_000;

export function ProcessPage() {
  const { id = '' } = useParams();
  // Polled only while it runs: a finished instance no longer changes.
  const [live, setLive] = useState(true);
  const process = useResource(() => api.process(id), [id], live ? REFRESH_MS : undefined);
  const history = useResource(() => api.history(id), [id], live ? REFRESH_MS : undefined);
  const p = process.data;
  const running = p?.status === 'running';
  useEffect(() => setLive(!p || running), [p, running]);
  usePageTitle(p ? `${p.definitionId} · ${p.businessKey}` : 'Process');

  return (
    <section>
      <p className="breadcrumbs">
        <Link to="/processes">Processes</Link> › Instance
      </p>
      {process.loading ? (
        <Loading what="the process" />
      ) : !p ? (
        <ErrorMessage error={process.error!} title={process.error?.status === 404 ? 'This process does not exist' : 'The process could not be loaded'} onRetry={() => void process.reload()} />
      ) : (
        <>
          <header className="card">
            <div className="title-row">
              <h1>
                {p.definitionId} · {p.businessKey}
              </h1>
              <div className="button-row">
                {p.temporalUiUrl && (
                  <a className="button" href={p.temporalUiUrl} target="_blank" rel="noreferrer noopener">
                    Open in Temporal Web UI ↗
                  </a>
                )}
                {running && <CancelProcessDialog processId={p.id} businessKey={p.businessKey} onCancelled={() => void process.reload()} />}
              </div>
            </div>
            <dl className="facts">
              <div>
                <dt>Status</dt>
                <dd>
                  <Badge value={p.status} /> {p.outcome && <strong>{p.outcome}</strong>} {p.endReason && <span className="muted">({p.endReason})</span>}
                  {running && (
                    <span className="muted small" aria-hidden="true">
                      {' '}
                      · live, refreshed every {REFRESH_MS / 1000} s
                    </span>
                  )}
                </dd>
              </div>
              <div>
                <dt>Stage</dt>
                <dd>{p.stage ?? <span className="muted">—</span>}</dd>
              </div>
              <div>
                <dt>Definition</dt>
                <dd>
                  <Link to={`/definitions/${p.definitionId}/versions/${p.version}`}>
                    {p.definitionId} v{p.version}
                  </Link>
                </dd>
              </div>
              <div>
                <dt>Started</dt>
                <dd>
                  <DateTime at={p.startedAt} /> by {p.startedBy}
                </dd>
              </div>
              <div>
                <dt>Ended</dt>
                <dd>
                  <DateTime at={p.endedAt} />
                </dd>
              </div>
              <div>
                <dt>Current steps</dt>
                <dd className="current-steps">{p.currentSteps?.length ? p.currentSteps.join(', ') : <span className="muted">—</span>}</dd>
              </div>
            </dl>
            {!p.live && running && <p className="notice small">The workflow did not answer just now; showing what the database knows.</p>}
          </header>
          {process.error && <ErrorMessage error={process.error} title="Refreshing failed; showing the last state" />}

          <div className="columns">
            <div className="column-main">
              <section className="card">
                <h2>Timeline</h2>
                {history.loading ? (
                  <Loading what="the timeline" />
                ) : history.error && !history.data ? (
                  <ErrorMessage error={history.error} title="The timeline could not be loaded" onRetry={() => void history.reload()} />
                ) : history.data!.items.length === 0 ? (
                  <Empty>Nothing has happened yet.</Empty>
                ) : (
                  <Timeline entries={history.data!.items} />
                )}
              </section>
            </div>
            <aside className="column-side">
              <OpenTasks process={p} />
              {p.stageHistory && p.stageHistory.length > 0 && (
                <section className="card">
                  <h2>Stages</h2>
                  <ol className="stages">
                    {p.stageHistory.map((s, i) => (
                      <li key={i}>
                        {s.stage} <span className="muted small">— <DateTime at={s.at} /></span>
                      </li>
                    ))}
                  </ol>
                </section>
              )}
              <section className="card">
                <h2>Variables</h2>
                <JsonView value={p.variables} />
              </section>
            </aside>
          </div>
        </>
      )}
    </section>
  );
}

function OpenTasks({ process }: { process: ProcessDetail }) {
  const tasks = (process.tasks ?? []).filter((t) => !('status' in t) || t.status === 'open');
  return (
    <section className="card">
      <h2>Open tasks</h2>
      {tasks.length === 0 ? (
        <p className="state state-empty">No open task.</p>
      ) : (
        <ul className="open-tasks">
          {tasks.map((t) => (
            <li key={t.id}>
              <Link to={`/tasks/${t.id}`}>{t.title}</Link>
              <div className="muted small">
                {t.candidateRoles.join(', ')}
                {t.assignee && ` · claimed by ${t.assignee}`} · <Due at={t.dueAt} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
