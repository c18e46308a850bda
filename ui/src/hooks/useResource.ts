import { useCallback, useEffect, useRef, useState } from 'react';
import { asApiError, type ApiError } from '../api/client';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  /** True only for the first load (and as soon as `deps` change); refreshes keep showing the old data. */
  loading: boolean;
  reload(): Promise<void>;
}

interface State<T> {
  /** The `deps` this state was loaded for. */
  deps: unknown[];
  data?: T;
  error?: ApiError;
  loading: boolean;
}

const sameDeps = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/** A request out for this long is given up on: polling starts a new one instead of waiting for it. */
const STUCK_MS = 30_000;

/**
 * Loads something from the API and keeps it fresh: `pollMs` refreshes it while the page is open and
 * visible (a running process changes without the user doing anything), for as long as `pollWhile`
 * (read at each tick) says the latest data may still change. A refresh gets the data it replaces,
 * so it can skip what cannot have changed. Answers to an outdated request (the filters changed
 * meanwhile) are dropped, and no refresh starts while the previous request is still out, so a
 * server slower than `pollMs` still gets to answer.
 */
export function useResource<T>(
  load: (previous: T | undefined) => Promise<T>,
  deps: unknown[],
  pollMs?: number,
  pollWhile?: (data: T | undefined) => boolean,
): Resource<T> {
  const [state, setState] = useState<State<T>>({ deps, loading: true });
  // From the render where `deps` change until the new load starts (in an effect), the old data is not this resource's.
  const current: State<T> = sameDeps(state.deps, deps) ? state : { deps, loading: true };
  const generation = useRef(0);
  const pendingSince = useRef<number | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const pollWhileRef = useRef(pollWhile);
  pollWhileRef.current = pollWhile;
  const dataRef = useRef(current.data);
  dataRef.current = current.data;

  /** `fresh`: the new deps to load from scratch; null: refresh what is shown. */
  const run = useCallback(async (fresh: unknown[] | null) => {
    const mine = ++generation.current;
    pendingSince.current = Date.now();
    if (fresh) setState({ deps: fresh, loading: true });
    try {
      const data = await loadRef.current(fresh ? undefined : dataRef.current);
      if (mine === generation.current) setState((s) => ({ deps: s.deps, data, loading: false }));
    } catch (err) {
      if (mine === generation.current) setState((s) => ({ deps: s.deps, data: fresh ? undefined : s.data, error: asApiError(err), loading: false }));
    } finally {
      if (mine === generation.current) pendingSince.current = null;
    }
  }, []);

  useEffect(() => {
    void run(deps);
  }, deps); // the caller lists what `load` depends on, as with useEffect

  useEffect(() => {
    if (!pollMs) return;
    const timer = setInterval(() => {
      if (document.visibilityState !== 'visible') return;
      if (pendingSince.current !== null && Date.now() - pendingSince.current < STUCK_MS) return;
      if (pollWhileRef.current && !pollWhileRef.current(dataRef.current)) return;
      void run(null);
    }, pollMs);
    return () => clearInterval(timer);
  }, [pollMs, run]);

  return { data: current.data, error: current.error, loading: current.loading, reload: () => run(null) };
}
