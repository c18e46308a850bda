/** Operators' list of open incidents: every instance stopped until someone acts. */
import { api } from '../api/client';
import { IncidentList } from '../components/IncidentList';
import { Empty, ResourceGate } from '../components/States';
import { usePageTitle } from '../hooks/usePageTitle';
import { useResource } from '../hooks/useResource';

const REFRESH_MS = 5_000;

export function IncidentsPage() {
  usePageTitle('Incidents');
  const incidents = useResource(() => api.incidents({ status: 'open' }), [], REFRESH_MS);
  return (
    <section>
      <h1>Incidents</h1>
      <p className="muted">Steps that cannot go on by themselves (an expression over its budget or failing, a loop, a workflow task that keeps failing). Retry after fixing what they read, or end the instance.</p>
      <ResourceGate resource={incidents} what="incidents" failed="The incidents could not be loaded" stale="list">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No open incident.</Empty>
          ) : (
            <div className="card">
              <IncidentList incidents={page.items} showProcess onChanged={() => void incidents.reload()} />
            </div>
          )
        }
      </ResourceGate>
    </section>
  );
}
