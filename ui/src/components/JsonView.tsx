/**
 * Variables and form data as a definition list. Nested objects and lists fold into <details> (open
 * when small), so an instance with many outputs still fits beside a form on a laptop screen.
 */
const isPlain = (v: unknown) => v === null || v === undefined || typeof v !== 'object';
const isSmall = (v: unknown) =>
  Array.isArray(v) ? v.length <= 3 && v.every(isPlain) : !!v && typeof v === 'object' && Object.values(v).length <= 4 && Object.values(v).every(isPlain);

function Plain({ value }: { value: unknown }) {
  if (value === null || value === undefined || value === '') return <span className="muted">—</span>;
  if (typeof value === 'string' && /^https?:\/\//.test(value)) {
    return (
      <a href={value} target="_blank" rel="noreferrer noopener" className="url">
        {value}
      </a>
    );
  }
  return <span>{String(value)}</span>;
}

function Value({ value }: { value: unknown }) {
  if (isPlain(value)) return <Plain value={value} />;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">(empty list)</span>;
    if (value.every(isPlain)) return <span>{value.map(String).join(', ')}</span>;
    return (
      <details open={isSmall(value)}>
        <summary>{value.length} items</summary>
        <ol className="json-list">
          {value.map((item, i) => (
            <li key={i}>
              <Value value={item} />
            </li>
          ))}
        </ol>
      </details>
    );
  }
  const entries = Object.keys(value as object);
  return (
    <details open={isSmall(value)}>
      <summary className="muted">{entries.slice(0, 4).join(', ') + (entries.length > 4 ? ', …' : '')}</summary>
      <JsonView value={value as Record<string, unknown>} />
    </details>
  );
}

export function JsonView({ value }: { value: Record<string, unknown> }) {
  const entries = Object.entries(value);
  if (entries.length === 0) return <span className="muted">(none)</span>;
  return (
    <dl className="json">
      {entries.map(([key, v]) => (
        <div key={key} className="json-entry">
          <dt>{key}</dt>
          <dd>
            <Value value={v} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
