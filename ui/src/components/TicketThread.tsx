/**
 * The ticket a support-ticket process works, as support reads it beside the process or its task: the
 * customer's request and every reply from both sides. Support answers through the task's form.
 */
import { Link } from 'react-router';
import { api } from '../api/client';
import { useResource } from '../hooks/useResource';
import { Badge } from './Badge';
import { ResourceGate } from './States';
import { TicketMessages } from './TicketMessages';

/** Refreshed while open: a customer's reply arrives through the portal. */
const REFRESH_MS = 10_000;

export function TicketThread({ processId }: { processId: string }) {
  const ticket = useResource(
    async () => {
      const [found] = (await api.tickets({ processId, limit: 1 })).items;
      return found ? api.ticket(found.id) : null;
    },
    [processId],
    REFRESH_MS,
  );
  return (
    <ResourceGate resource={ticket} what="ticket" failed="The ticket could not be loaded" stale="ticket" isEmpty={(t) => t === null} empty="This process works no ticket.">
      {(t) =>
        t && (
          <article className="card portal-ticket" aria-label={`Ticket ${t.number}`}>
            <h2>
              Ticket N° {t.number}: {t.subject}
            </h2>
            <p className="small">
              <Badge value={t.status} /> opened {t.openedVia === 'portal' ? 'by the customer on the portal' : 'by staff'} ·{' '}
              {t.firstResponseAt ? 'answered' : 'not answered yet'} ·{' '}
              <Link to={`/tickets?customerId=${t.customerId}`}>the customer's tickets</Link>
            </p>
            <TicketMessages messages={t.messages ?? []} authorOf={(m) => `${m.author} (${m.authorKind === 'staff' ? 'support' : 'customer'})`} />
          </article>
        )
      }
    </ResourceGate>
  );
}
