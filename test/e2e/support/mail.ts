/** The e-mail a person would receive, read from the started app's SMTP sink (`/api/mail`, as admin). */
import { requestJson } from '../../support/api';
import { eventually } from '../../support/eventually';
import type { StartedApp } from './started-app';

/**
 * The newest message to `email` whose subject starts with `subject` (any, when left out), once the
 * outbox drainer delivered it: its whole text, and how many messages that address received in all.
 */
export async function mailTo(app: StartedApp, adminToken: string, email: string, subject = ''): Promise<{ text: string; subject: string; received: number }> {
  const get = (path: string) => requestJson(app.baseUrl, 'GET', path, adminToken);
  const matches = (m: { subject: string | null }) => (m.subject ?? '').startsWith(subject);
  // The drainer delivers at once, or after its idle sleep (10 s) on an empty outbox.
  const list = await eventually(() => get(`/api/mail?to=${encodeURIComponent(email)}`), (r) => r.body.items?.some(matches), `"${subject}…" to ${email} in the sink`, 60_000);
  return { ...(await get(`/api/mail/${list.body.items.find(matches).id}`)).body, received: list.body.total };
}
