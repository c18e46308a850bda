/**
 * Seed 001's follow-ups: a salesperson sets one on a lead for a date; it is a task in their own inbox,
 * due then, and once due it is overdue and escalated to admin (the reminder). Real Postgres and Temporal.
 */
import { completeTask, eventually, expectError, inboxTask, startApiStack, type ApiStack, type Caller } from '../support/api';
import { seed001People } from '../support/lead-api';

let stack: ApiStack;
let sales: Caller;
const run = Date.now().toString(36);

beforeAll(async () => {
  stack = await startApiStack('follow-ups');
  ({ sales } = await seed001People(stack));
});

afterAll(async () => {
  await stack?.close();
});

async function startLead(n: number) {
  const res = await stack.request('POST', '/api/processes', sales.token, { definitionId: 'lead-to-customer', businessKey: `follow-${run}-${n}`, variables: { contact: { name: `Lead ${n}`, email: `follow-${run}-${n}@lead.example` }, company: { name: 'Panadería El Trigal' } } });
  return res.body.id as string;
}
const followUp = (lead: string, body: Record<string, unknown>) => stack.request('POST', `/api/leads/${lead}/follow-ups`, sales.token, body);

test("a follow-up is a task in the salesperson's own inbox, due when they said; once due it is overdue and escalated to admin", async () => {
  const lead = await startLead(1);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
  const later = await followUp(lead, { title: 'Llamar para resolver dudas', dueAt: tomorrow, notes: 'Prefiere en la mañana' });
  expect(later).toMatchObject({ status: 202, body: { leadId: lead, dueAt: tomorrow } });
  const task = await inboxTask(stack, sales, later.body.followUpId, 'followUp');
  expect(task).toMatchObject({ title: 'Llamar para resolver dudas — Lead 1 (Panadería El Trigal)', assignee: 'valentina', overdue: false });
  // Due when the salesperson said (counted from when the task opened, within the moment it took).
  expect(Math.abs(Date.parse(task.dueAt) - Date.parse(tomorrow))).toBeLessThan(60_000);

  const due = await followUp(lead, { title: 'Enviar la propuesta anual', dueAt: new Date(Date.now() - 60_000).toISOString() });
  const overdue = await eventually(() => inboxTask(stack, sales, due.body.followUpId, 'followUp'), (t) => t.overdue && t.candidateRoles.includes('admin'), 'the follow-up overdue and escalated');
  expect(overdue.candidateRoles).toEqual(expect.arrayContaining(['sales', 'admin']));
  await completeTask(stack, sales, overdue, 'done', { result: 'Enviada' });
  await eventually(() => stack.request('GET', `/api/processes/${due.body.followUpId}`, sales.token), (r) => r.body.outcome === 'done', 'the follow-up done');
});

test('a follow-up needs an open lead and a date: 404, 409 and 400 naming the field', async () => {
  expectError(await followUp('lead-to-customer/nobody', { title: 'x', dueAt: new Date().toISOString() }), 404);
  const lead = await startLead(2);
  const bad = await followUp(lead, { title: 'x', dueAt: 'mañana' });
  expectError(bad, 400, 'invalid_request');
  expect(bad.body.error.details).toEqual([expect.objectContaining({ path: '/dueAt' })]);
  await stack.request('POST', `/api/processes/${lead}/cancel`, await stack.login('admin'), { reason: 'test' });
  await eventually(() => stack.db('process_instances').where({ id: lead }).first('status'), (r) => r.status !== 'running', 'the lead closed');
  expectError(await followUp(lead, { title: 'x', dueAt: new Date().toISOString() }), 409, 'lead_closed');
});
