/**
 * Seed 001's web-to-lead on real Postgres and Temporal: the company website's form, as JSON or as a
 * plain HTML form's post, starts the lead's process with no staff token; one lead per e-mail; the
 * honeypot and the per-address limit keep bots out.
 */
import { expectError, inboxTask, startApiStack, type ApiStack, type Caller } from '../support/api';

let stack: ApiStack;
let sales: Caller;

beforeAll(async () => {
  stack = await startApiStack('web-to-lead', {
    config: (c) => ({ ...c, http: { ...c.http, trustProxyHops: 1 }, auth: { ...c.auth, publicFormsPerAddress: { failures: 5, windowSeconds: 3600, blockSeconds: 600 } } }),
  });
  sales = { username: 'sales', token: await stack.login('sales') };
});

afterAll(async () => {
  await stack?.close();
});

// Workflow ids are the business keys, unique across the dev server every suite shares: e-mails of this run's own.
const run = Date.now().toString(36);
const mail = (local: string, domain: string) => `${local}.${run}@${domain}`;

let addresses = 0;
/** Each test posts from an address of its own, so the limit counts only its own posts. */
const address = () => `203.0.113.${++addresses}`;
const post = (body: unknown, ip: string) => stack.request('POST', '/api/public/leads', undefined, body, { headers: { 'x-forwarded-for': ip } });
const formPost = (fields: Record<string, string>, ip: string) =>
  fetch(`${stack.baseUrl}/api/public/leads`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
    body: new URLSearchParams(fields).toString(),
  });
const leadsFor = (key: string) => stack.db('process_instances').where({ definition_id: 'lead-to-customer', business_key: key });

test("a lead from the website's form starts its process, with no staff token, in the salespeople's inbox", async () => {
  const ip = address();
  const res = await post({ name: 'Laura Restrepo', email: mail('Laura', 'PanaderiaElTrigal.co'), company: 'Panadería El Trigal S.A.S.', phone: '+57 310 555 0142', message: 'Necesito facturación electrónica' }, ip);
  expect(res).toMatchObject({ status: 202, body: { received: true } });
  const [lead] = await leadsFor(mail('laura', 'panaderiaeltrigal.co'));
  const task = await inboxTask(stack, sales, lead.id, 'qualify');
  expect(task.title).toBe('Qualify the lead: Laura Restrepo (Panadería El Trigal S.A.S.)');
  const detail = (await stack.request('GET', `/api/processes/${lead.id}`, sales.token)).body;
  expect(detail).toMatchObject({
    startedBy: 'intake:web-form',
    variables: { contact: { name: 'Laura Restrepo', email: mail('Laura', 'PanaderiaElTrigal.co'), phone: '+57 310 555 0142' }, company: { name: 'Panadería El Trigal S.A.S.' }, message: 'Necesito facturación electrónica', source: 'web-form' },
  });

  // The same person again, however they write their e-mail: the same answer, still one lead.
  expect(await post({ name: 'Laura R.', email: mail('LAURA', 'panaderiaeltrigal.co'), message: '¿Me llaman?' }, ip)).toMatchObject({ status: 202, body: { received: true } });
  expect(await leadsFor(mail('laura', 'panaderiaeltrigal.co'))).toHaveLength(1);
});

test("a plain HTML form's post lands the browser on the thank-you page; its empty fields are left out", async () => {
  const res = await formPost({ name: 'Andrés Gómez', email: mail('andres', 'ferreteriaandina.co'), company: '', phone: '', message: '', website: '' }, address());
  expect({ status: res.status, location: res.headers.get('location') }).toEqual({ status: 303, location: '/portal/lead-received' });
  const [lead] = await leadsFor(mail('andres', 'ferreteriaandina.co'));
  await inboxTask(stack, sales, lead.id, 'qualify');
  const { variables } = (await stack.request('GET', `/api/processes/${lead.id}`, sales.token)).body;
  expect(variables).toEqual(expect.objectContaining({ contact: { name: 'Andrés Gómez', email: mail('andres', 'ferreteriaandina.co') }, source: 'web-form' }));
  expect(variables).not.toHaveProperty('company');
  // Only this endpoint reads form posts: another public route refuses one.
  const other = await fetch(`${stack.baseUrl}/api/public/prospects`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=x&phone=123456&channel=web' });
  expect(other.status).toBe(400);
});

test('a bot that fills the honeypot gets the same answer and starts nothing; a bad body is 400 naming the field; past the limit, 429', async () => {
  const ip = address();
  expect(await post({ name: 'Bot', email: mail('bot', 'spam.example'), website: 'http://spam.example' }, ip)).toMatchObject({ status: 202, body: { received: true } });
  expect(await leadsFor(mail('bot', 'spam.example'))).toHaveLength(0);
  const bad = await post({ name: 'Sin correo' }, ip);
  expectError(bad, 400, 'invalid_request');
  expect(bad.body.error.details).toEqual([expect.objectContaining({ path: '/email' })]);
  for (let i = 0; i < 4; i++) expect((await post({ name: `Lead ${i}`, email: mail(`lead${i}`, 'limit.example') }, ip)).status).toBe(202);
  expectError(await post({ name: 'Uno más', email: mail('uno.mas', 'limit.example') }, ip), 429, 'too_many_submissions');
  expect(await leadsFor(mail('uno.mas', 'limit.example'))).toHaveLength(0);
});

test('the salesperson copies the form to embed: it posts to this endpoint, with the honeypot hidden', async () => {
  const res = await stack.request('GET', '/api/leads/form-snippet', sales.token);
  expect(res.status).toBe(200);
  expect(res.body.action).toMatch(/\/api\/public\/leads$/);
  expect(res.body.html).toContain(`<form action="${res.body.action}" method="post"`);
  for (const field of ['name="name" required', 'name="email" type="email" required', 'name="website" tabindex="-1"']) expect(res.body.html).toContain(field);
});

test("notes on a lead are their own records, with author and time, newest first; only a lead has them", async () => {
  await post({ name: 'Marta Ruiz', email: mail('marta', 'cafeteriaelsol.co') }, address());
  const [lead] = await leadsFor(mail('marta', 'cafeteriaelsol.co'));
  await inboxTask(stack, sales, lead.id, 'qualify');
  const note = (body: unknown) => stack.request('POST', `/api/leads/${lead.id}/notes`, sales.token, body);
  const first = await note({ body: 'Llamada: quiere nómina para 4 personas' });
  expect(first).toMatchObject({ status: 201, body: { processId: lead.id, author: 'sales', body: 'Llamada: quiere nómina para 4 personas', createdAt: expect.any(String) } });
  expect((await note({ body: 'Reunión el martes con el gerente' })).status).toBe(201);
  const list = await stack.request('GET', `/api/leads/${lead.id}/notes`, sales.token);
  expect(list.body.items.map((n: any) => n.body)).toEqual(['Reunión el martes con el gerente', 'Llamada: quiere nómina para 4 personas']);

  const empty = await note({ body: '' });
  expectError(empty, 400, 'invalid_request');
  expect(empty.body.error.details).toEqual([expect.objectContaining({ path: '/body' })]);
  expectError(await stack.request('GET', '/api/leads/no-such-process/notes', sales.token), 404);
  expect(await stack.db('lead_notes').where({ process_id: lead.id }).count({ n: '*' })).toEqual([{ n: '2' }]);
});
