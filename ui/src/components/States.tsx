/** The loading, empty and error states every list and page shows, and the gate that picks one for a loaded resource. */
import type { ReactNode } from 'react';
import type { ApiError } from '../api/client';
import type { Resource } from '../hooks/useResource';

export function Loading({ what, verb = 'Loading' }: { what: string; verb?: string }) {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {verb} {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state state-empty">{children}</p>;
}

/** What went wrong, in the API's own words, with its code for support and a retry when it makes sense. */
export function ErrorMessage({ error, title, onRetry }: { error: ApiError; title?: string; onRetry?: () => void }) {
  const problems = error.problems;
  return (
    <div className="state state-error" role="alert">
      <strong>{title ?? 'Something went wrong'}</strong>
      <p>
        {error.message}
        {error.status > 0 && (
          <span className="muted">
            {' '}
            (HTTP {error.status}, {error.code})
          </span>
        )}
      </p>
      {problems.length > 0 && (
        <ul>
          {problems.map((p, i) => (
            <li key={i}>
              <code>{p.path}</code> {p.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

interface ResourceGateProps<T> {
  resource: Resource<T | undefined>;
  /** What is loading: "the process" gives "Loading the process…". */
  what: string;
  /** Title when nothing could be loaded; `notFound` instead when the API answers 404. */
  failed: string;
  notFound?: string;
  /** Shown instead of the children when `isEmpty` says there is nothing to show. */
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  /** Ends "Refreshing failed; showing the last …" when a refresh fails and the older data stays. */
  stale: string;
  children: (data: T) => ReactNode;
}

/**
 * One resource's states in one place: loading on the first load, the error (with a retry) when there
 * is nothing to show, the empty message, or the data, under a notice when refreshing it failed.
 */
export function ResourceGate<T>({ resource, what, failed, notFound, isEmpty, empty, stale, children }: ResourceGateProps<T>) {
  const { data, error, loading } = resource;
  if (loading) return <Loading what={what} />;
  if (data === undefined) {
    return error ? <ErrorMessage error={error} title={notFound && error.status === 404 ? notFound : failed} onRetry={() => void resource.reload()} /> : null;
  }
  return (
    <>
      {error && <ErrorMessage error={error} title={`Refreshing failed; showing the last ${stale}`} />}
      {isEmpty?.(data) ? <Empty>{empty}</Empty> : children(data)}
    </>
  );
}
