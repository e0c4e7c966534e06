// One backend answer a panel shows: asked again when the request's key changes or the case's
// data does (an import, another case), an answer that arrives after the panel has moved on is
// dropped, and a failure goes to the workbench's error bar once. Panels used to repeat this
// effect by hand, each with its own "live" flag.
import { useEffect, useRef, useState } from 'react';
import { useWorkbench } from '../state/workbench.tsx';

export interface ApiResultOptions {
  /** Keep showing the previous answer while the next loads (a list being refined) instead of
   *  clearing it (details of another selected event must not show the last event's). */
  keepWhileLoading?: boolean;
  /** Wait this long after the key last changed before asking (typing in a filter box). */
  delayMs?: number;
}

export interface ApiResult<T> {
  value: T | null;
  loading: boolean;
}

/**
 * `key` names the request (null: nothing to ask, the value is null); `load` asks it. `load` may
 * be a new closure on every render: only a change of `key` (or of the data) asks again.
 */
export function useApiResult<T>(key: string | null, load: () => Promise<T>, options: ApiResultOptions = {}): ApiResult<T> {
  const { dataVersion, reportError } = useWorkbench();
  const [state, setState] = useState<ApiResult<T>>({ value: null, loading: false });
  const loadRef = useRef(load);
  loadRef.current = load;
  const { keepWhileLoading = false, delayMs = 0 } = options;

  useEffect(() => {
    if (key === null) {
      setState({ value: null, loading: false });
      return;
    }
    let live = true;
    setState((previous) => ({ value: keepWhileLoading ? previous.value : null, loading: true }));
    const ask = () =>
      loadRef.current().then(
        (value) => live && setState({ value, loading: false }),
        (error: unknown) => {
          if (!live) return;
          setState((previous) => ({ value: previous.value, loading: false }));
          reportError(error);
        },
      );
    const timer = delayMs > 0 ? setTimeout(ask, delayMs) : (void ask(), undefined);
    return () => {
      live = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [key, dataVersion, reportError, keepWhileLoading, delayMs]);

  return state;
}
