import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  /** True only for the first load (and after `deps` change); refreshes keep showing the old data. */
  loading: boolean;
  reload(): Promise<void>;
}

const asApiError = (err: unknown) => (err instanceof ApiError ? err : new ApiError(0, 'client', (err as Error)?.message ?? String(err)));

/**
 * Loads something from the API and keeps it fresh: `pollMs` refreshes it while the page is open
 * (a running process changes without the user doing anything). Answers to an outdated request
 * (the filters changed meanwhile) are dropped.
 */
export function useResource<T>(load: () => Promise<T>, deps: unknown[], pollMs?: number): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(async (initial: boolean) => {
    const mine = ++generation.current;
    if (initial) setState({ loading: true });
    try {
      const data = await loadRef.current();
      if (mine === generation.current) setState({ data, loading: false });
    } catch (err) {
      if (mine === generation.current) setState((s) => ({ data: initial ? undefined : s.data, error: asApiError(err), loading: false }));
    }
  }, []);

  useEffect(() => {
    void run(true);
  }, deps); // the caller lists what `load` depends on, as with useEffect

  useEffect(() => {
    if (!pollMs) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void run(false);
    }, pollMs);
    return () => clearInterval(timer);
  }, [pollMs, run]);

  return { data: state.data, error: state.error, loading: state.loading, reload: () => run(false) };
}
