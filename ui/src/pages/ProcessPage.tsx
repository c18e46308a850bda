/**
 * One instance for operators: its live state (current steps, stage, open tasks, variables) and its
 * timeline (business, or technical with the Temporal events), refreshed every few seconds while it
 * runs; cancel; the same instance in Temporal's UI.
 */
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../api/client';
import type { ProcessDetail, TimelineEntry, TimelineView } from '../api/types';
import { Badge } from '../components/Badge';
import { CancelProcessDialog } from '../components/CancelProcessDialog';
import { IncidentList } from '../components/IncidentList';
import { JsonView } from '../components/JsonView';
import { Empty, ResourceGate } from '../components/States';
import { DateTime, Due } from '../components/Time';
import { TimelineCard } from '../components/Timeline';
import { LeadRecords } from '../components/LeadRecords';
import { TicketThread } from '../components/TicketThread';
import { SUPPORT_TICKET } from '../../../domain/tickets';
import { LEAD_TO_CUSTOMER } from '../../../domain/lead-to-customer';
import { usePageTitle } from '../hooks/usePageTitle';
import { useResource } from '../hooks/useResource';
import { useSession } from '../session/SessionProvider';

const REFRESH_MS = 2_000;
/**
 * Timeline kinds that close the instance (api/processes/timeline.ts): in the business view its audit
 * line, in the technical one the workflow's own closing event, which Temporal records after it
 * (continued-as-new runs on).
 */
const CLOSING_KINDS: Record<TimelineView, Set<string>> = {
  business: new Set(['instance.completed', 'instance.failed', 'instance.cancelled', 'instance.terminated', 'instance.timed_out']),
  technical: new Set(['workflow.completed', 'workflow.failed', 'workflow.cancelled', 'workflow.terminated', 'workflow.timedOut']),
};
const TIMELINE_VIEW_PARAM = 'timeline';
/**
 * How long after the instance's end its timeline is still polled for the workflow's closing event
 * (Temporal records it after the instance's row is marked ended); an instance past Temporal's
 * retention has no closing event to wait for.
 */
const CLOSING_GRACE_MS = 60_000;

/**
 * An instance changes until its row records the end: the status comes from the workflow itself,
 * which reports it finished before its last activity writes the end time (and withdraws the tasks).
 */
const mayChange = (p: ProcessDetail | undefined) => !p || p.status === 'running' || !p.endedAt;

/** The timeline changes until it shows how the instance closed. */
function timelineMayChange(history: { items: TimelineEntry[] } | undefined, p: ProcessDetail | undefined, view: TimelineView): boolean {
  if (history?.items.some((e) => CLOSING_KINDS[view].has(e.kind))) return false;
  if (!p?.endedAt || p.status === 'running') return true;
  return Date.now() - Date.parse(p.endedAt) < CLOSING_GRACE_MS;
}

export function ProcessPage() {
  const { id = '' } = useParams();
  // Polled until it is finished (then it no longer changes), and its timeline until it shows how the workflow closed.
  const process = useResource(() => api.process(id), [id], REFRESH_MS, mayChange);
  const p = process.data;
  // The timeline's view is in the address (`?timeline=technical`), so a reload or a shared link keeps it.
  const [params, setParams] = useSearchParams();
  const view: TimelineView = params.get(TIMELINE_VIEW_PARAM) === 'technical' ? 'technical' : 'business';
  const setView = (next: TimelineView) =>
    setParams(
      (previous) => {
        const changed = new URLSearchParams(previous);
        if (next === 'business') changed.delete(TIMELINE_VIEW_PARAM);
        else changed.set(TIMELINE_VIEW_PARAM, next);
        return changed;
      },
      { replace: true },
    );
  const history = useResource(() => api.history(id, view), [id, view], REFRESH_MS, (h) => timelineMayChange(h, p, view));
  const running = p?.status === 'running';
  // Cancelling is an operator's (admin) action: the API refuses it to anyone else.
  const isAdmin = useSession().user?.roles.includes('admin') ?? false;
  usePageTitle(p ? `${p.definitionId} · ${p.businessKey}` : 'Process');

  return (
    <section>
      <p className="breadcrumbs">
        <Link to="/processes">Processes</Link> › Instance
      </p>
      <ResourceGate resource={process} what="the process" failed="The process could not be loaded" notFound="This process does not exist" stale="state">
        {(p) => (
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
                  {running && isAdmin && (
                    <CancelProcessDialog
                      processId={p.id}
                      businessKey={p.businessKey}
                      onCancelled={() => void Promise.all([process.reload(), history.reload()])}
                    />
                  )}
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

            <div className="columns">
              <div className="column-main">
                {p.definitionId === SUPPORT_TICKET && <TicketThread processId={p.id} />}
                <TimelineCard history={history} title="Timeline" view={{ value: view, onChange: setView }} />
              </div>
              <aside className="column-side">
                {running && <Incidents process={p} isAdmin={isAdmin} onChanged={() => void Promise.all([process.reload(), history.reload()])} />}
                <OpenTasks process={p} />
                {p.definitionId === LEAD_TO_CUSTOMER && <LeadRecords process={p} />}
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
      </ResourceGate>
    </section>
  );
}

/** Open incidents: operators get the full rows (workflow-task ones included) and their actions. */
function Incidents({ process, isAdmin, onChanged }: { process: ProcessDetail; isAdmin: boolean; onChanged: () => void }) {
  const rows = useResource(() => (isAdmin ? api.incidents({ processId: process.id }) : Promise.resolve(null)), [process.id, isAdmin], REFRESH_MS);
  const live = process.incidents ?? [];
  const full = rows.data?.items ?? [];
  if (live.length === 0 && full.length === 0) return null;
  return (
    <section className="card incident-card" aria-labelledby="incidents-title">
      <h2 id="incidents-title">Incidents</h2>
      {isAdmin ? (
        <IncidentList incidents={full} onChanged={() => void Promise.all([rows.reload(), onChanged()])} />
      ) : (
        <ul className="incidents">
          {live.map((i) => (
            <li key={i.id}>
              <strong>{i.stepId}</strong> · {i.type}
              <p className="small">{i.message}</p>
              <p className="muted small">
                since <DateTime at={i.raisedAt} /> · an operator has to act
              </p>
            </li>
          ))}
        </ul>
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
        <Empty>No open task.</Empty>
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
