/**
 * Incidents as operators act on them: what stopped, where in the definition, since when; retry runs
 * the step again, terminate ends the instance at once (cancel is the process page's own button).
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { api, asApiError, type ApiError } from '../api/client';
import type { Incident } from '../api/types';
import { ErrorMessage } from './States';
import { DateTime } from './Time';

const where = (i: Incident) =>
  i.location ? `${i.location.file ?? i.definitionId}${i.location.line ? `:${i.location.line}:${i.location.column}` : ''} (${i.location.path})` : null;

export function IncidentList({ incidents, showProcess, onChanged }: { incidents: Incident[]; showProcess?: boolean; onChanged: () => void }) {
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<ApiError>();

  async function act(id: string, run: () => Promise<unknown>) {
    setBusy(id);
    setError(undefined);
    try {
      await run();
      onChanged();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <>
      {error && <ErrorMessage error={error} title="The incident could not be resolved" />}
      <ul className="incidents">
        {incidents.map((i) => (
          <li key={i.id}>
            <strong>{i.stepId ?? 'Workflow task'}</strong> · {i.type}
            {showProcess && (
              <>
                {' '}
                · <Link to={`/processes/${encodeURIComponent(i.processId)}`}>{`${i.definitionId} · ${i.businessKey}`}</Link>
              </>
            )}
            <p className="small">{i.message}</p>
            {where(i) && <p className="muted small">at {where(i)}</p>}
            <p className="muted small">
              since <DateTime at={i.raisedAt} />
            </p>
            <div className="button-row">
              {i.source === 'step' && (
                <button type="button" disabled={busy === i.id} onClick={() => void act(i.id, () => api.retryIncident(i.id))}>
                  {busy === i.id ? 'Retrying…' : 'Retry the step'}
                </button>
              )}
              <button
                type="button"
                className="danger"
                disabled={busy === i.id}
                onClick={() => {
                  if (window.confirm(`Terminate ${i.businessKey} now? No cancellation step runs.`)) void act(i.id, () => api.terminateIncident(i.id, 'terminated from the web app'));
                }}
              >
                Terminate…
              </button>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
