import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, type Page } from '../api.js';

// How a page gets its data and runs its actions: one request's state, a list a page at a time,
// an action of a button, and a value that settles once typing pauses.

export function useAsync<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({ data: null, error: null, loading: true });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    setState((previous) => ({ ...previous, loading: true, error: null }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState({ data: null, error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, version]);
  const reload = useCallback(() => setVersion((value) => value + 1), []);
  return { ...state, reload };
}

/** A list of the API, a page at a time; the cursors of earlier pages are kept to go back. */
export function usePagedList<T>(path: string, query: Record<string, string | number | undefined>, pageSize = 20) {
  const key = JSON.stringify([path, query]);
  // The cursors of the pages shown so far, for this list and filter only: a new filter starts
  // again from the first page.
  const [trail, setTrail] = useState<{ key: string; cursors: (string | null)[] }>({ key, cursors: [null] });
  const cursors = trail.key === key ? trail.cursors : [null];
  const cursor = cursors[cursors.length - 1] ?? null;
  const result = useAsync(() => api.get<Page<T>>(path, { ...query, limit: pageSize, cursor }), [key, cursor]);
  return {
    ...result,
    items: result.data?.items ?? [],
    pageNumber: cursors.length,
    hasPrevious: cursors.length > 1,
    hasNext: Boolean(result.data?.nextCursor),
    next: () => result.data?.nextCursor && setTrail({ key, cursors: [...cursors, result.data.nextCursor] }),
    previous: () => cursors.length > 1 && setTrail({ key, cursors: cursors.slice(0, -1) }),
  };
}

export type PagedList<T> = ReturnType<typeof usePagedList<T>>;

/** Runs an action of a button: disables it while running, shows the API's refusal in words. */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>) {
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (...args: A): Promise<R | undefined> => {
    setRunning(true);
    setError(null);
    try {
      return await action(...args);
    } catch (caught) {
      setError(caught);
      return undefined;
    } finally {
      setRunning(false);
    }
  };
  return { run, running, error, setError };
}

/** A text input whose value a debounced effect reads (the live preview waits for typing to pause). */
export function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setSettled(value), delayMs);
    return () => window.clearTimeout(timer.current);
  }, [JSON.stringify(value), delayMs]);
  return settled;
}
