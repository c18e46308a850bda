import { useEffect } from 'react';

/** The tab title follows the page, so history entries and screen readers say where the user is. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Cauce`;
  }, [title]);
}
