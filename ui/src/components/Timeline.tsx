import { useState } from 'react';
import type { TimelineEntry } from '../api/types';

/** Seconds matter in a timeline: several entries usually share a minute. */
const formatTimelineTime = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/**
 * The instance's history, oldest first: what happened, when, who did it, and at which step.
 * `recent` shows only the latest entries until asked for all (the task page's side column).
 */
export function Timeline({ entries, recent }: { entries: TimelineEntry[]; recent?: number }) {
  const [all, setAll] = useState(false);
  const hidden = recent && !all ? Math.max(0, entries.length - recent) : 0;
  return (
    <>
      {hidden > 0 && (
        <button type="button" className="small" onClick={() => setAll(true)}>
          Show {hidden} earlier entr{hidden === 1 ? 'y' : 'ies'}
        </button>
      )}
      <ol className="timeline" aria-label="Timeline">
      {entries.slice(hidden).map((e, i) => (
        <li key={`${e.at}-${i}`} className={`timeline-entry kind-${e.kind.split('.')[0]}${/fail|error|timed/.test(e.kind) ? ' is-problem' : ''}`}>
          <time dateTime={e.at}>{formatTimelineTime(e.at)}</time>
          <span className="timeline-title">{e.title}</span>
          <span className="timeline-meta">
            <code>{e.kind}</code>
            {e.stepId && <> · step {e.stepId}</>}
            {e.actor && <> · by {e.actor}</>}
          </span>
        </li>
      ))}
      </ol>
    </>
  );
}
