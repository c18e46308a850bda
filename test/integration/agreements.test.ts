/**
 * Seed 003's agreements through the HTTP API on real Postgres and Temporal: back office publishes them
 * per country (and rank), a change is a new version that inactivates the one before and is pending
 * again for those who accepted it; acceptances at registration and afterwards are kept once, listed
 * and exported; an inactive version is refused naming the one in force.
 */
import { expectError, startApiStack, type ApiStack, type Caller } from '../support/api';

let stack: ApiStack;
let backOffice: Caller;
const run = Date.now() % 1_000_000;

beforeAll(async () => {
  stack = await startApiStack('agreements');
  backOffice = { username: 'back-office', token: await stack.login('back-office') };
});

afterAll(async () => {
  await stack?.close();
});

const publish = (body: Record<string, unknown>) => stack.request('POST', '/api/agreements', backOffice.token, { country: 'CO', pages: ['registration', 'login'], ...body });
const person = (n: number) => ({ country: 'CO', documentType: 'CC', documentNumber: `${run}${n}`, name: `Consultora ${n}`, email: `consultora${run}${n}@gmail.com`, zone: 'bogota-norte' });
const register = (p: ReturnType<typeof person>, acceptedAgreements: string[]) =>
  stack.request('POST', '/api/consultants/registrations', backOffice.token, { person: p, channel: 'corporate-site', formType: 'short', requiresApproval: false, acceptedAgreements });
const agreementsOf = (consultantId: string) => stack.request('GET', `/api/consultants/${consultantId}/agreements`, backOffice.token).then((r) => r.body);
const accept = (consultantId: string, agreementId: string, page = 'profile') => stack.request('POST', `/api/consultants/${consultantId}/agreements/${agreementId}/acceptance`, backOffice.token, { page });

test('versions: accepted at registration, a new version pending again, the old one refused naming the new; listed and exported', async () => {
  const terms = (await publish({ code: `terminos-${run}`, title: 'Términos y condiciones', content: 'Versión 1 de los términos.' })).body;
  expect(terms).toMatchObject({ agreement: { version: 1, active: true }, superseded: null });
  const habeas = (await publish({ code: `habeas-${run}`, title: 'Autorización de datos (Habeas Data)', content: 'Autorizo el tratamiento de mis datos.' })).body.agreement;
  const leaders = (await publish({ code: `lider-${run}`, rank: 'lider', title: 'Contrato de líder', content: 'Solo para líderes.', pages: ['profile'] })).body.agreement;

  const registered = await register(person(1), [terms.agreement.id]);
  expect(registered.body).toMatchObject({ status: 'completed', case: 'new-consultant' });
  const consultantId = registered.body.consultantId;
  const before = await agreementsOf(consultantId);
  expect(before.accepted).toEqual([expect.objectContaining({ agreementId: terms.agreement.id, version: 1, active: true, page: 'registration' })]);
  // Pending: the ones in force for them they have not accepted (the leaders' contract is for another rank).
  expect(before.pending.map((a: { id: string }) => a.id)).toContain(habeas.id);
  expect(before.pending.map((a: { id: string }) => a.id)).not.toContain(leaders.id);

  // A change is a new version: the one before is inactivated, and no acceptance of it covers the new one.
  const v2 = (await publish({ code: `terminos-${run}`, title: 'Términos y condiciones', content: 'Versión 2: nueva cláusula de devoluciones.' })).body;
  expect(v2).toMatchObject({ agreement: { version: 2, active: true }, superseded: { id: terms.agreement.id, version: 1, active: false } });
  expect((await agreementsOf(consultantId)).pending.map((a: { id: string }) => a.id)).toContain(v2.agreement.id);
  const stale = await accept(consultantId, terms.agreement.id);
  expectError(stale, 409, 'agreement_inactive');
  expect(stale.body.error).toMatchObject({ message: 'Términos y condiciones version 1 is no longer in force: version 2 replaced it; accept that one', details: { current: { id: v2.agreement.id, version: 2 } } });
  // Registering with the old version on the form is refused before anything starts.
  expectError(await register(person(2), [terms.agreement.id]), 409, 'agreement_inactive');
  expect(await stack.db('consultants').where({ document_number: `${run}2` }).first()).toBeUndefined();

  // Accepted at the next login: once (accepting again keeps the first).
  expect(await accept(consultantId, v2.agreement.id, 'login')).toMatchObject({ status: 201, body: { first: true } });
  expect((await accept(consultantId, v2.agreement.id, 'login')).body.first).toBe(false);
  expectError(await accept(consultantId, leaders.id), 422, 'agreement_not_applicable');
  expect((await agreementsOf(consultantId)).pending.map((a: { id: string }) => a.id)).toEqual([habeas.id]);

  // Withdrawn, the Habeas Data text is pending for no one.
  expect((await stack.request('POST', `/api/agreements/${habeas.id}/inactivation`, backOffice.token)).body.active).toBe(false);
  expect((await agreementsOf(consultantId)).pending.map((a: { id: string }) => a.id)).not.toContain(habeas.id);

  // Who accepted what: the report, and its CSV export.
  const report = await stack.request('GET', `/api/agreements/acceptances?agreementId=${v2.agreement.id}`, backOffice.token);
  expect(report.body).toMatchObject({ total: 1, items: [{ consultantId, version: 2, page: 'login', acceptedBy: 'back-office', document: `CO CC ${run}1` }] });
  const csv = await fetch(`${stack.baseUrl}/api/agreements/acceptances?country=CO&format=csv`, { headers: { authorization: `Bearer ${backOffice.token}` } });
  expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
  const text = await csv.text();
  expect(text.split('\n')[0]).toBe('Contrato,Versión,Persona,Documento,Dónde,Aceptado por,Fecha');
  expect(text).toContain(`terminos-${run},2,Consultora 1`);
  expect((await stack.request('GET', `/api/agreements?country=CO&active=true`, backOffice.token)).body.items.map((a: { code: string }) => a.code)).not.toContain(`habeas-${run}`);
});
