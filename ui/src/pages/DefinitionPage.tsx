/** One definition: its versions, the diagram of the chosen version, its YAML, and a way to start it. */
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { ProcessDiagram } from '../components/ProcessDiagram';
import { ResourceGate } from '../components/States';
import { DateTime } from '../components/Time';
import { usePageTitle } from '../hooks/usePageTitle';
import { useResource } from '../hooks/useResource';

export function DefinitionPage() {
  const { id = '', version } = useParams();
  // The latest version lists the versions; a pinned one is loaded only when the address names it.
  const latest = useResource(() => api.definition(id), [id]);
  const pinned = useResource(() => (version ? api.definitionVersion(id, Number(version)) : Promise.resolve(undefined)), [id, version]);
  const chosen = version ? pinned : latest;
  const title = chosen.data;
  usePageTitle(title ? `${title.definition.name} v${title.version}` : 'Definition');

  return (
    <section>
      <p className="breadcrumbs">
        <Link to="/definitions">Definitions</Link> › {id}
      </p>
      <ResourceGate resource={chosen} what="the definition" failed="The definition could not be loaded" notFound="Not deployed" stale="definition">
        {(shown) => (
          <>
            <header className="title-row">
              <h1>
                {shown.definition.name} <span className="muted">v{shown.version}</span>
              </h1>
              <div className="button-row">
                <Link className="button primary" to={`/definitions/${id}/start${version ? `?version=${version}` : ''}`}>
                  Start a process
                </Link>
                <Link className="button" to={`/processes?definitionId=${id}&version=${shown.version}`}>
                  Instances of v{shown.version}
                </Link>
              </div>
            </header>
            {shown.definition.description && <p>{shown.definition.description}</p>}
            <div className="columns">
              <div className="column-main">
                <ProcessDiagram definition={shown.definition} caption={`Steps and transitions of ${shown.id} v${shown.version}`} />
              </div>
              <aside className="column-side">
                <section className="card">
                  <h2>Versions</h2>
                  <ResourceGate resource={latest} what="the versions" failed="The versions could not be loaded" stale="versions">
                    {(current) => (
                      <ol className="versions" reversed>
                        {[...(current.versions ?? [])].reverse().map((v) => (
                          <li key={v.version}>
                            <Link to={`/definitions/${id}/versions/${v.version}`} aria-current={v.version === shown.version ? 'page' : undefined}>
                              v{v.version}
                            </Link>{' '}
                            <span className="muted small">
                              <DateTime at={v.deployedAt} />
                              {v.deployedBy && ` by ${v.deployedBy}`} · <code>{v.hash.slice(0, 10)}</code>
                            </span>
                          </li>
                        ))}
                      </ol>
                    )}
                  </ResourceGate>
                </section>
                <section className="card">
                  <h2>About</h2>
                  <dl className="facts">
                    <div>
                      <dt>Roles</dt>
                      <dd>{shown.definition.roles?.join(', ') ?? '—'}</dd>
                    </div>
                    <div>
                      <dt>Stages</dt>
                      <dd>{shown.definition.stages?.join(' → ') ?? '—'}</dd>
                    </div>
                    <div>
                      <dt>Steps</dt>
                      <dd>{Object.keys(shown.definition.steps).length} top-level</dd>
                    </div>
                  </dl>
                </section>
              </aside>
            </div>
            {shown.source && (
              <details className="card">
                <summary>YAML source</summary>
                <pre className="source">{shown.source}</pre>
              </details>
            )}
          </>
        )}
      </ResourceGate>
    </section>
  );
}
