/** The loading, empty and error states every list and page shows. */
import type { ReactNode } from 'react';
import type { ApiError } from '../api/client';

export function Loading({ what }: { what: string }) {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
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
