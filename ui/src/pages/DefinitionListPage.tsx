import { Link } from 'react-router';
import { api } from '../api/client';
import { ResourceGate } from '../components/States';
import { DateTime } from '../components/Time';
import { usePageTitle } from '../hooks/usePageTitle';
import { useResource } from '../hooks/useResource';

export function DefinitionListPage() {
  usePageTitle('Definitions');
  const definitions = useResource(() => api.definitions(), []);
  return (
    <section>
      <h1>Definitions</h1>
      <ResourceGate
        resource={definitions}
        what="the definitions"
        failed="The definitions could not be loaded"
        stale="list"
        isEmpty={(list) => list.items.length === 0}
        empty="No definition is deployed yet. Put YAML files in definitions/ and restart, or deploy one with the CLI."
      >
        {(list) => (
          <ul className="definition-cards">
            {list.items.map((d) => (
              <li key={d.id} className="card">
                <h2>
                  <Link to={`/definitions/${d.id}`}>{d.name}</Link>
                </h2>
                <p className="muted small">
                  <code>{d.id}</code> · latest v{d.latestVersion}
                  {d.versionCount !== undefined && ` · ${d.versionCount} version${d.versionCount === 1 ? '' : 's'}`} · deployed <DateTime at={d.deployedAt} />
                </p>
                {d.description && <p>{d.description}</p>}
                <p className="button-row">
                  <Link className="button" to={`/definitions/${d.id}`}>
                    Diagram and versions
                  </Link>
                  <Link className="button primary" to={`/definitions/${d.id}/start`}>
                    Start a process
                  </Link>
                  <Link className="button" to={`/processes?definitionId=${d.id}`}>
                    Instances
                  </Link>
                </p>
              </li>
            ))}
          </ul>
        )}
      </ResourceGate>
    </section>
  );
}
