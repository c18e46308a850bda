/**
 * Seed 001's support tickets through the HTTP API on real Postgres and Temporal: a customer opens one
 * from the client portal, support answers it from the inbox within an SLA of 8 business hours on the
 * Colombian calendar, the customer replies on the portal and support resolves it; staff open tickets for
 * a customer, whose history lists them. Nothing of another customer's, and a closed ticket hears nothing.
 */
import { businessTimeBetween } from '../../domain/calendar';
import { calendarCatalog } from '../../lib/definitions/calendars';
import { completeTask, eventually, expectError, inboxTask, startApiStack, type ApiStack, type Caller } from '../support/api';
import { leadWithSentInvoice, seed001People } from '../support/lead-api';

let stack: ApiStack;
let sales: Caller;
let billing: Caller;
let support: Caller;
const run = Date.now().toString(36);
const HOUR = 3_600_000;
const PORTAL_TICKETS_A_DAY = 3;

beforeAll(async () => {
  stack = await startApiStack('tickets', { config: (c) => ({ ...c, auth: { ...c.auth, portalTicketsPerCustomer: { failures: PORTAL_TICKETS_A_DAY, windowSeconds: 86400, blockSeconds: 3600 } } }) });
  ({ sales, billing } = await seed001People(stack));
  await stack.addUser('sofia', ['support']);
  support = { username: 'sofia', token: await stack.login('sofia') };
});

afterAll(async () => {
  await stack?.close();
});

/** A converted customer signed in to the portal: their portal token and customer id. */
async function portalCustomer(key: string) {
  const sent = await leadWithSentInvoice(stack, { sales, billing }, `${key}-${run}`);
  await stack.request('POST', `/api/public/portal-setup/${sent.portalSetupToken}`, undefined, { password: 'una clave bien larga' });
  const login = await stack.request('POST', '/api/public/portal/login', undefined, { email: sent.contact.email, password: 'una clave bien larga' });
  const customerId = (await stack.db('invoices').where({ id: sent.invoice.invoiceId }).first()).customer_id as string;
  return { token: login.body.token as string, email: sent.contact.email, customerId };
}
const ticketOf = (id: string, token: string) => stack.request('GET', `/api/portal/tickets/${id}`, token).then((r) => r.body);

test('opened on the portal, answered by support within 8 business hours, replied to by the customer, resolved: then it hears nothing more', async () => {
  const customer = await portalCustomer('ticket-a');
  const opened = await stack.request('POST', '/api/portal/tickets', customer.token, { subject: 'No puedo emitir facturas', body: 'El sistema rechaza las facturas con el error DIAN 90.' });
  expect(opened).toMatchObject({ status: 202, body: { ticketId: expect.any(String), processId: expect.any(String) } });
  const { ticketId, processId } = opened.body;
  const ticket = await ticketOf(ticketId, customer.token);
  expect(ticket).toMatchObject({ status: 'open', openedVia: 'portal', customerId: customer.customerId, messages: [{ authorKind: 'customer', author: customer.email, body: 'El sistema rechaza las facturas con el error DIAN 90.' }] });
  // The customer acts as customer:<id>, never as their e-mail, which a staff username could be.
  expect((await stack.db('process_instances').where({ id: processId }).first()).started_by).toBe(`customer:${customer.customerId}`);
  await eventually(() => stack.db('outbox').where({ recipient: customer.email, template: 'ticket-opened' }).first(), Boolean, 'the acknowledgement e-mail');

  // Support's task: due 8 business hours after it opened, on the Colombian calendar.
  const task = await inboxTask(stack, support, processId, 'attend');
  expect(task.title).toBe(`Ticket ${ticket.number} from Cliente ticket-a-${run}: No puedo emitir facturas`);
  const co = calendarCatalog().find((c) => c.id === 'CO')!;
  // Counted from when the step was entered, a moment before the task row's createdAt.
  const sla = businessTimeBetween(co, Date.parse(task.createdAt), Date.parse(task.dueAt));
  expect(sla).toBeLessThanOrEqual(8 * HOUR);
  expect(sla).toBeGreaterThan(8 * HOUR - 60_000);
  await completeTask(stack, support, task, 'reply', { message: 'Tu certificado de firma venció: te enviamos los pasos para renovarlo.' });
  const waiting = await eventually(() => ticketOf(ticketId, customer.token), (t) => t.status === 'waiting-customer', 'the ticket waiting for the customer');
  expect(waiting.firstResponseAt).toEqual(expect.any(String));
  expect(waiting.messages.map((m: any) => [m.authorKind, m.author])).toEqual([['customer', customer.email], ['staff', 'sofia']]);
  const replyMail = await eventually(() => stack.db('outbox').where({ recipient: customer.email, template: 'ticket-reply' }).first() as Promise<{ payload: object } | undefined>, Boolean, 'the reply e-mail');
  expect(replyMail!.payload).toMatchObject({ ticketNumber: ticket.number, message: 'Tu certificado de firma venció: te enviamos los pasos para renovarlo.' });

  // The customer answers on the portal: the ticket is support's again.
  const reply = () => stack.request('POST', `/api/portal/tickets/${ticketId}/replies`, customer.token, { body: 'Listo, ya lo renové y funciona.' }, { headers: { 'idempotency-key': `reply-${run}` } });
  const replied = await reply();
  expect(replied).toMatchObject({ status: 202, body: { received: true, ticketId } });
  // The same request again (a retry after a lost answer): the same reply, recorded once.
  expect((await reply()).status).toBe(202);
  const reopened = await eventually(() => ticketOf(ticketId, customer.token), (t) => t.status === 'open', 'the ticket back with support');
  expect(reopened.messages.at(-1)).toMatchObject({ authorKind: 'customer', author: customer.email, body: 'Listo, ya lo renové y funciona.' });
  const again = await inboxTask(stack, support, processId, 'attend');
  await completeTask(stack, support, again, 'resolve', { message: 'Perfecto, damos la solicitud por resuelta.' });
  const closed = await eventually(() => ticketOf(ticketId, customer.token), (t) => t.status === 'closed', 'the ticket closed');
  expect(closed).toMatchObject({ closeReason: 'resolved', closedAt: expect.any(String) });
  expect(closed.messages).toHaveLength(4);
  await eventually(() => stack.request('GET', `/api/processes/${processId}`, support.token), (r) => r.body.outcome === 'resolved', 'the process ended resolved');
  expectError(await stack.request('POST', `/api/portal/tickets/${ticketId}/replies`, customer.token, { body: '¿Sigue abierto?' }), 409, 'ticket_closed');
  expect((await ticketOf(ticketId, customer.token)).messages).toHaveLength(4);
});

test("staff open tickets for a customer, whose history lists them; another customer's ticket is 404 on the portal; bad input names the field", async () => {
  const a = await portalCustomer('ticket-b');
  const b = await portalCustomer('ticket-c');
  const staff = await stack.request('POST', '/api/tickets', sales.token, { customerId: a.customerId, subject: 'Capacitación pendiente', body: 'El cliente pidió agendar la capacitación.' });
  expect(staff.status).toBe(202);
  const fromPortal = await stack.request('POST', '/api/portal/tickets', a.token, { subject: 'Duda de facturación', body: '¿Cuándo llega la factura de enero?' });
  const history = await stack.request('GET', `/api/tickets?customerId=${a.customerId}`, support.token);
  expect(history.body.items.map((t: any) => [t.id, t.openedVia])).toEqual([[fromPortal.body.ticketId, 'portal'], [staff.body.ticketId, 'staff']]);
  expect((await stack.request('GET', `/api/tickets/${staff.body.ticketId}`, support.token)).body.messages).toEqual([expect.objectContaining({ authorKind: 'staff', author: 'valentina' })]);
  // The ticket a process works, as its page and task find it.
  const byProcess = await stack.request('GET', `/api/tickets?processId=${encodeURIComponent(staff.body.processId)}`, support.token);
  expect(byProcess.body).toMatchObject({ total: 1, items: [{ id: staff.body.ticketId, processId: staff.body.processId }] });
  // The customer sees both, and nothing of b's.
  expect((await stack.request('GET', '/api/portal/tickets', a.token)).body.items).toHaveLength(2);
  expectError(await stack.request('GET', `/api/portal/tickets/${staff.body.ticketId}`, b.token), 404);
  expectError(await stack.request('POST', `/api/portal/tickets/${staff.body.ticketId}/replies`, b.token, { body: 'hola' }), 404);

  expectError(await stack.request('POST', '/api/tickets', sales.token, { customerId: '00000000-0000-4000-8000-000000000000', subject: 'x', body: 'y' }), 404, 'unknown_customer');
  const bad = await stack.request('POST', '/api/portal/tickets', a.token, { subject: '', body: 'x'.repeat(5001) });
  expectError(bad, 400, 'invalid_request');
  expect(bad.body.error.details.map((d: any) => d.path).sort()).toEqual(['/body', '/subject']);
});

test('a customer opens a limited number of tickets a day on the portal: past it 429 with Retry-After, nothing opened; another customer is not held back', async () => {
  const eager = await portalCustomer('ticket-limit');
  for (let i = 1; i <= PORTAL_TICKETS_A_DAY; i++) {
    expect((await stack.request('POST', '/api/portal/tickets', eager.token, { subject: `Consulta ${i}`, body: 'Una duda más.' })).status).toBe(202);
  }
  const refused = await stack.request('POST', '/api/portal/tickets', eager.token, { subject: 'Otra', body: 'Y otra duda.' });
  expectError(refused, 429, 'too_many_tickets');
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  expect((await stack.request('GET', '/api/portal/tickets', eager.token)).body.items).toHaveLength(PORTAL_TICKETS_A_DAY);
  // Staff may still open one for them: the limit is the portal's.
  expect((await stack.request('POST', '/api/tickets', sales.token, { customerId: eager.customerId, subject: 'Llamada', body: 'Llamó por teléfono.' })).status).toBe(202);
  const other = await portalCustomer('ticket-limit-other');
  expect((await stack.request('POST', '/api/portal/tickets', other.token, { subject: 'Consulta', body: 'Hola.' })).status).toBe(202);
});
