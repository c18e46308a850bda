import { useState } from 'react';
import type { TimelineEntry, TimelineView } from '../api/types';
import type { Resource } from '../hooks/useResource';
import { ResourceGate } from './States';
import { formatDateTime } from './Time';

/**
 * The instance's history, oldest first: what happened, when (to the second: several entries usually
 * share a minute), who did it, and at which step. `recent` shows only the latest entries until asked
 * for all (the task page's side column).
 */
function Timeline({ entries, recent }: { entries: TimelineEntry[]; recent?: number }) {
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
            <time dateTime={e.at}>{formatDateTime(e.at, { seconds: true })}</time>
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

const VIEW_LABELS: Record<TimelineView, { label: string; hint: string }> = {
  business: { label: 'Business', hint: 'What happened to the sale: start, stages, steps, tasks, events taken, incidents, the end' },
  technical: { label: 'Technical', hint: 'The business trail plus every Temporal event: activities and their retries, timers, signals, updates' },
};

/** Business or technical: two buttons, the pressed one is the view shown. */
function ViewToggle({ value, onChange }: { value: TimelineView; onChange: (view: TimelineView) => void }) {
  return (
    <div className="view-toggle" role="group" aria-label="Timeline view">
      {(Object.keys(VIEW_LABELS) as TimelineView[]).map((v) => (
        <button key={v} type="button" className="small" aria-pressed={v === value} title={VIEW_LABELS[v].hint} onClick={() => onChange(v)}>
          {VIEW_LABELS[v].label}
        </button>
      ))}
    </div>
  );
}

/**
 * An instance's history in a card, with its loading, error and empty states: in full on the process
 * page (with `view`, a toggle between the business and the technical timeline), its latest entries
 * beside a task.
 */
export function TimelineCard({
  history,
  title,
  recent,
  view,
}: {
  history: Resource<{ items: TimelineEntry[] }>;
  title: 'Timeline' | 'History';
  recent?: number;
  view?: { value: TimelineView; onChange: (view: TimelineView) => void };
}) {
  const name = title.toLowerCase();
  return (
    <section className="card">
      <div className="title-row">
        <h2>{title}</h2>
        {view && <ViewToggle value={view.value} onChange={view.onChange} />}
      </div>
      <ResourceGate
        resource={history}
        what={`the ${name}`}
        failed={`The ${name} could not be loaded`}
        stale={name}
        isEmpty={(h) => h.items.length === 0}
        empty="Nothing has happened yet."
      >
        {(h) => <Timeline entries={h.items} recent={recent} />}
      </ResourceGate>
    </section>
  );
}
