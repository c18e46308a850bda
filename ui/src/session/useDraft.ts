import { useCallback, useState } from 'react';
import { clearDraft, loadDraft, saveDraft } from './storage';

/**
 * Form state that is also written to sessionStorage on every change, so an expired session (or a
 * reload) does not lose what was typed. `discard` forgets it once the form has been submitted.
 */
export function useDraft<T>(key: string, initial: () => T): [T, (value: T) => void, () => void, boolean] {
  const [stored] = useState(() => loadDraft<T>(key));
  const [value, setValue] = useState<T>(() => stored ?? initial());
  const update = useCallback(
    (next: T) => {
      setValue(next);
      saveDraft(key, next);
    },
    [key],
  );
  const discard = useCallback(() => clearDraft(key), [key]);
  return [value, update, discard, stored !== undefined];
}
