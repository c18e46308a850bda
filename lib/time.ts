/** Timestamps as the API and activities return them: ISO-8601 strings, null for no time. */
export function toIso(d: Date | string): string;
export function toIso(d: Date | string | null | undefined): string | null;
export function toIso(d: Date | string | null | undefined): string | null {
  return d == null ? null : new Date(d).toISOString();
}
