import { useState } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A list's filters, kept in the address so a filtered list can be reloaded, bookmarked and shared.
 * `set` changes some of them (an empty value removes one) in place of the current history entry, so
 * Back leaves the list instead of undoing filters one by one; pass `{ replace: false }` for a real
 * step (another page of results). Any change but the page's own goes back to the first page (`offset`).
 */
export function useUrlFilters() {
  const [params, setParams] = useSearchParams();
  const set = (changes: Record<string, string>, { replace = true }: { replace?: boolean } = {}) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        for (const [key, value] of Object.entries(changes)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        if (!('offset' in changes)) next.delete('offset');
        return next;
      },
      { replace },
    );
  const clear = () => setParams(new URLSearchParams(), { replace: true });
  return { params, set, clear };
}

/**
 * A filter typed into a field and applied on submit (one request, one address change, instead of one
 * per keystroke). It follows the address when that changes otherwise: Clear filters, Back, a link.
 */
export function useTypedFilter(applied: string): [string, (typed: string) => void] {
  const [typed, setTyped] = useState(applied);
  const [seen, setSeen] = useState(applied);
  if (seen !== applied) {
    setSeen(applied);
    setTyped(applied);
  }
  return [typed, setTyped];
}
