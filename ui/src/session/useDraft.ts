import { useCallback, useState } from 'react';
import { clearDraft, loadDraft, saveDraft } from './storage';

/**
 * Form state that is also written to sessionStorage on every change, so an expired session (or a
 * reload) does not lose what was typed. `discard` forgets it once the form has been submitted.
 */
export function useDraft<T>(key: string, initial: () => T): [T, (value: T) => void, () => void, boolean] {
  const [restored] = useState(() => loadDraft<T>(key) !== undefined);
  const [value, setValue] = useState<T>(() => loadDraft<T>(key) ?? initial());
  const update = useCallback(
    (next: T) => {
      setValue(next);
      saveDraft(key, next);
    },
    [key],
  );
  const discard = useCallback(() => clearDraft(key), [key]);
  return [value, update, discard, restored];
}
