/** Dates as people read them: relative ("3 h ago", "in 2 d") with the exact time on hover. */
const UNITS: Array<[number, string]> = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'min'],
];

function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  for (const [size, unit] of UNITS) if (abs >= size) return `${Math.floor(abs / size)} ${unit}`;
  return 'less than a minute';
}

/** `seconds`: where several things share a minute (a timeline). */
export function formatDateTime(iso: string, { seconds = false }: { seconds?: boolean } = {}): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: seconds ? 'medium' : 'short' });
}

export function Age({ since }: { since: string }) {
  return (
    <time dateTime={since} title={formatDateTime(since)}>
      {formatDuration(Date.now() - Date.parse(since))}
    </time>
  );
}

export function Due({ at, overdue }: { at: string | null; overdue?: boolean }) {
  if (!at) return <span className="muted">no due date</span>;
  const ms = Date.parse(at) - Date.now();
  const late = overdue ?? ms < 0;
  return (
    <time dateTime={at} title={formatDateTime(at)} className={late ? 'overdue' : undefined}>
      {late ? `overdue by ${formatDuration(ms)}` : `in ${formatDuration(ms)}`}
    </time>
  );
}

export function DateTime({ at }: { at: string | null | undefined }) {
  if (!at) return <span className="muted">—</span>;
  return <time dateTime={at}>{formatDateTime(at)}</time>;
}
