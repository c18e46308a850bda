/**
 * Seed 003's registration through the HTTP API on real Postgres and Temporal: every way a registration
 * ends (blocked, sponsor not found, outside coverage, rejected, activated by the start kit or on credit,
 * a customer), each of the seed's cases of who registers (new, customer to consultant, consultant back
 * to customer, an inactive consultant returning, someone registered already), and the blacklist that
 * back office keeps, with its reasons.
 */
import { completeInboxTask, eventually, expectError, startApiStack, type ApiStack, type Caller } from '../support/api';

let stack: ApiStack;
let backOffice: Caller;
let credit: Caller;
let leader: Caller;
/** The store's system, which reports the kit's payments. */
let store: Caller;
const run = Date.now() % 1_000_000;
let people = 0;

beforeAll(async () => {
  stack = await startApiStack('consultant-registration');
  [backOffice, credit, leader, store] = await Promise.all(['back-office', 'credit-approver', 'consultant-leader', 'integration'].map(async (username) => ({ username, token: await stack.login(username) })));
});

afterAll(async () => {
  await stack?.close();
});

/** A person nobody has registered yet (a document of this run's own). */
function newPerson(zone = 'bogota-norte') {
  const n = `${run}${String(++people).padStart(3, '0')}`;
  return { country: 'CO', documentType: 'CC', documentNumber: n, name: `Persona ${n}`, email: `persona${n}@gmail.com`, zone };
}
type Person = ReturnType<typeof newPerson>;

const register = (person: Person, extra: Record<string, unknown> = {}, caller: Caller = backOffice) =>
  stack.request('POST', '/api/consultants/registrations', caller.token, { person, channel: 'corporate-backend', formType: 'long', requiresApproval: false, ...extra });
const processOf = (id: string) => stack.request('GET', `/api/processes/${id}`, backOffice.token).then((r) => r.body);
const ended = (id: string, what: string) => eventually(() => processOf(id), (p) => p.status === 'completed', what, 60_000);
const record = (person: Person) => stack.db('consultants').where({ document_number: person.documentNumber }).whereNot({ status: 'rejected' }).first();

test('a new consultant with approval and a start kit: back office approves, the kit is paid, the consultant is active', async () => {
  const person = newPerson();
  const res = await register(person, { requiresApproval: true, startKit: { price: 45000, currency: 'COP' } });
  expect(res).toMatchObject({ status: 201, body: { status: 'running', stage: 'pre-registered', case: 'new-consultant', consultantId: expect.any(String) } });
  const { processId, consultantId } = res.body;
  // Registering the same person while it runs: refused, naming the registration in progress.
  expectError(await register(person), 409, 'registration_in_progress');
  await completeInboxTask(stack, backOffice, processId, 'approveRegistration', 'approve', { documentsValid: true });
  await eventually(() => processOf(processId), (p) => p.stage === 'membership-payment', 'waiting for the start kit', 60_000);
  const payment = { amount: 45000, currency: 'COP', method: 'pse', transactionId: `pse-${person.documentNumber}` };
  expect(await stack.request('POST', `/api/consultants/${consultantId}/kit-payment`, store.token, payment)).toMatchObject({ status: 202, body: { received: true, processId } });
  expect(await ended(processId, 'activated')).toMatchObject({ outcome: 'activated', stage: 'active' });
  // The same payment reported again is the same payment; the enrollment waits for no kit any more.
  expectError(await stack.request('POST', `/api/consultants/${consultantId}/kit-payment`, store.token, { ...payment, transactionId: 'another' }), 409, 'not_awaiting_kit');
  expectError(await stack.request('POST', `/api/consultants/${consultantId}/kit-payment`, store.token, { ...payment, amount: -1 }), 400);
  expect(await stack.db('consultants').where({ id: consultantId }).first()).toMatchObject({ status: 'active', kind: 'consultant', activated_at: expect.any(Date) });
  expect(await stack.db('payments').where({ consultant_id: consultantId }).select('amount', 'currency')).toEqual([{ amount: '45000.00', currency: 'COP' }]);
});

test('a credit request opens the credit ticket: the limit is 0 until approved, then the consultant is active on credit', async () => {
  const person = newPerson();
  const { processId, consultantId } = (await register(person, { startKit: { price: 45000, currency: 'COP' } })).body;
  expect(Number((await stack.db('consultants').where({ id: consultantId }).first()).credit_limit)).toBe(0);
  await eventually(() => processOf(processId), (p) => p.stage === 'membership-payment', 'waiting for the start kit', 60_000);
  expect((await stack.request('POST', `/api/consultants/${consultantId}/credit-requests`, backOffice.token, { requestedLimit: 500000, references: ['Almacén La 14'] })).status).toBe(202);
  await completeInboxTask(stack, credit, processId, 'reviewCredit', 'approve', { approvedLimit: 300000 });
  expect(await ended(processId, 'activated on credit')).toMatchObject({ outcome: 'activated' });
  expect(await stack.db('consultants').where({ id: consultantId }).first()).toMatchObject({ status: 'active', credit_limit: '300000.00' });
});

test('rejected by back office; a sponsor that is not found; a sponsor of another zone: each ends saying so', async () => {
  const rejected = newPerson();
  const { processId } = (await register(rejected, { requiresApproval: true })).body;
  await completeInboxTask(stack, backOffice, processId, 'approveRegistration', 'reject', { documentsValid: false, reason: 'La cédula no es legible' });
  expect(await ended(processId, 'rejected')).toMatchObject({ outcome: 'rejected', stage: 'rejected' });
  expect(await stack.db('consultants').where({ document_number: rejected.documentNumber }).first()).toMatchObject({ status: 'rejected', rejection_reason: 'La cédula no es legible' });
  await eventually(() => stack.db('outbox').where({ recipient: rejected.email, template: 'registration-rejected' }).first(), Boolean, 'the rejection e-mail');

  const lost = await register(newPerson(), { sponsor: { email: `nadie${run}@redconsultores.co` } });
  expect(lost.body).toMatchObject({ status: 'completed', case: null, consultantId: null });
  expect((await processOf(lost.body.processId)).outcome).toBe('sponsor-not-found');

  // An active consultant of bogota-norte sponsors someone of medellin: outside the sponsor's coverage.
  const sponsor = newPerson();
  expect((await register(sponsor)).body).toMatchObject({ status: 'completed', case: 'new-consultant' });
  const far = await register(newPerson('medellin'), { sponsor: { documentNumber: sponsor.documentNumber } }, leader);
  expect((await processOf(far.body.processId)).outcome).toBe('outside-coverage');
  const near = await register(newPerson(), { sponsor: { documentNumber: sponsor.documentNumber } }, leader);
  expect(near.body).toMatchObject({ status: 'completed', case: 'new-consultant' });
  expect((await stack.db('consultants').where({ id: near.body.consultantId }).first()).sponsor_id).toBe((await record(sponsor)).id);
});

test("who registers: a customer, who becomes a consultant, goes inactive and returns, then goes back to customer; someone registered already is told so", async () => {
  const person = newPerson();
  const asCustomer = await register(person, { registerAs: 'customer' });
  expect(asCustomer.body).toMatchObject({ status: 'completed', stage: 'customer', case: 'new-customer' });
  expect((await processOf(asCustomer.body.processId)).outcome).toBe('customer');
  await eventually(() => stack.db('outbox').where({ recipient: person.email, template: 'customer-welcome' }).first(), Boolean, 'the customer welcome');
  const id = asCustomer.body.consultantId;

  const again = await register(person, { registerAs: 'customer' });
  expect(again.body).toMatchObject({ status: 'completed', case: 'already-registered', consultantId: id });
  expect((await processOf(again.body.processId)).outcome).toBe('already-registered');
  await eventually(() => stack.db('outbox').where({ recipient: person.email, template: 'registration-already-registered' }).first(), Boolean, 'the already-registered e-mail');

  const becomes = await register(person);
  expect(becomes.body).toMatchObject({ status: 'completed', stage: 'active', case: 'customer-to-consultant', consultantId: id });
  expect(await stack.db('consultants').where({ id }).first()).toMatchObject({ kind: 'consultant', status: 'active' });

  await stack.db('consultants').where({ id }).update({ status: 'inactive' });
  const returning = await register(person, { requiresApproval: true });
  expect(returning.body).toMatchObject({ status: 'running', stage: 'pre-registered', case: 'returning-consultant', consultantId: id });
  await completeInboxTask(stack, backOffice, returning.body.processId, 'approveRegistration', 'approve', { documentsValid: true });
  expect(await ended(returning.body.processId, 'reactivated')).toMatchObject({ outcome: 'activated' });

  const back = await register(person, { registerAs: 'customer' });
  expect(back.body).toMatchObject({ status: 'completed', stage: 'customer', case: 'consultant-to-customer', consultantId: id });
  expect(await stack.db('consultants').where({ id }).first()).toMatchObject({ kind: 'customer', status: 'active' });
  expect(await stack.db('consultants').where({ document_number: person.documentNumber }).count('* as n')).toEqual([{ n: '1' }]);
});

test('the blacklist: a reason from the list, a blacklisted person refused at registration saying so, removed and then registered; bad input names the field', async () => {
  const person = newPerson();
  const reasons = await stack.request('GET', '/api/blacklist/reasons', backOffice.token);
  expect(reasons.body.items.map((r: { code: string }) => r.code)).toEqual(expect.arrayContaining(['fraud', 'terms-violation']));
  expectError(await stack.request('POST', '/api/blacklist', backOffice.token, { ...pick(person), reasonCode: 'no-such-reason', reason: 'x' }), 422, 'unknown_reason');
  const added = await stack.request('POST', '/api/blacklist/reasons', backOffice.token, { code: `suplantacion-${run}`, label: 'Suplantó a otra consultora' });
  expect(added).toMatchObject({ status: 201, body: { active: true } });
  expectError(await stack.request('POST', '/api/blacklist/reasons', backOffice.token, { code: `suplantacion-${run}`, label: 'otra' }), 409, 'reason_exists');

  const entry = await stack.request('POST', '/api/blacklist', backOffice.token, { ...pick(person), documentNumber: person.documentNumber.replace(/(\d{3})(?=\d)/g, '$1.'), reasonCode: `suplantacion-${run}`, reason: 'Reportado por la líder de zona' });
  expect(entry).toMatchObject({ status: 201, body: { documentNumber: person.documentNumber, createdBy: 'back-office', removedAt: null } });
  const refused = await register(person);
  expectError(refused, 403, 'blacklisted');
  expect(refused.body.error.message).toBe(`${person.name} cannot register: they are on the company's blacklist (Suplantó a otra consultora).`);
  expect(await record(person)).toBeUndefined();
  // The blocked registration is kept as an ended enrollment.
  expect((await processOf(refused.body.error.details.processId)).outcome).toBe('blocked');
  expect((await stack.request('GET', `/api/blacklist?documentNumber=${person.documentNumber}`, backOffice.token)).body).toMatchObject({ total: 1, items: [{ id: entry.body.id }] });

  const removed = await stack.request('POST', `/api/blacklist/${entry.body.id}/removal`, backOffice.token, { reason: 'Se aclaró el reporte' });
  expect(removed.body).toMatchObject({ removedBy: 'back-office', removalReason: 'Se aclaró el reporte', removedAt: expect.any(String) });
  expect((await stack.request('GET', `/api/blacklist?documentNumber=${person.documentNumber}`, backOffice.token)).body.total).toBe(0);
  expect((await stack.request('GET', `/api/blacklist?documentNumber=${person.documentNumber}&includeRemoved=true`, backOffice.token)).body.total).toBe(1);
  expect((await register(person)).body).toMatchObject({ status: 'completed', case: 'new-consultant' });

  // An inactive reason is offered for no new entry.
  expect((await stack.request('PUT', `/api/blacklist/reasons/suplantacion-${run}`, backOffice.token, { active: false })).body.active).toBe(false);
  expectError(await stack.request('POST', '/api/blacklist', backOffice.token, { ...pick(newPerson()), reasonCode: `suplantacion-${run}`, reason: 'x' }), 422, 'unknown_reason');
  expectError(await stack.request('POST', '/api/blacklist/999999999/removal', backOffice.token, { reason: 'x' }), 404);

  const bad = await register({ ...newPerson(), zone: '' });
  expectError(bad, 422, 'invalid_variables');
  expect(JSON.stringify(bad.body.error.details)).toContain('person/zone');
});

const pick = (p: Person) => ({ country: p.country, documentType: p.documentType, documentNumber: p.documentNumber });

test('inactivation by back office and by web service, reactivation by the leader of the network only; the list by state, zone and sponsor; the page with its history', async () => {
  const integration: Caller = { username: 'integration', token: await stack.login('integration') };
  // The leader's own consultant record, linked to their back-office account, and two of their network.
  const leaderPerson = newPerson('cali-sur');
  const leaderId = (await register(leaderPerson)).body.consultantId;
  await stack.db('consultants').where({ id: leaderId }).update({ username: leader.username });
  const mine = (await register(newPerson('cali-sur'), { sponsor: { documentNumber: leaderPerson.documentNumber } })).body.consultantId;
  const alsoMine = (await register(newPerson('cali-sur'), { sponsor: { documentNumber: leaderPerson.documentNumber } })).body.consultantId;
  const notMine = (await register(newPerson('cali-sur'))).body.consultantId;

  const inactivated = await stack.request('POST', `/api/consultants/${mine}/inactivation`, backOffice.token, { reason: 'Tres campañas sin pedidos' });
  expect(inactivated).toMatchObject({ status: 201, body: { status: 'completed' } });
  expect((await processOf(inactivated.body.processId)).outcome).toBe('inactivated');
  expectError(await stack.request('POST', `/api/consultants/${mine}/inactivation`, backOffice.token, { reason: 'otra vez' }), 409, 'invalid_status_change');
  await eventually(() => stack.db('outbox').where({ template: 'consultant-inactivated' }).whereRaw("payload->>'reason' = ?", ['Tres campañas sin pedidos']).first(), Boolean, 'the inactivation e-mail');
  // By web service (the company's systems, as the integration user).
  expect((await stack.request('POST', `/api/consultants/${notMine}/inactivation`, integration.token, { reason: 'Baja solicitada en el ERP' })).status).toBe(201);

  // The leader reactivates their own network, and cannot even see anyone else's.
  expectError(await stack.request('POST', `/api/consultants/${notMine}/reactivation`, leader.token, { reason: 'x' }), 404);
  const back = await stack.request('POST', `/api/consultants/${mine}/reactivation`, leader.token, { reason: 'Volvió a pedir' });
  expect(back).toMatchObject({ status: 201, body: { status: 'completed' } });
  expect((await processOf(back.body.processId)).outcome).toBe('reactivated');
  expectError(await stack.request('POST', `/api/consultants/${mine}/reactivation`, leader.token, { reason: 'x' }), 409, 'invalid_status_change');

  // The list: back office filters the whole sales force; the leader's is their network only.
  const inactive = await stack.request('GET', '/api/consultants?status=inactive&zone=cali-sur', backOffice.token);
  expect(inactive.body.items.map((c: { id: string }) => c.id)).toEqual([notMine]);
  const network = await stack.request('GET', `/api/consultants?sponsorId=${leaderId}`, backOffice.token);
  expect(network.body.items.map((c: { id: string }) => c.id).sort()).toEqual([mine, alsoMine].sort());
  const seenByLeader = await stack.request('GET', '/api/consultants?zone=cali-sur', leader.token);
  expect(seenByLeader.body).toMatchObject({ total: 2 });
  expect(seenByLeader.body.items.map((c: { id: string }) => c.id).sort()).toEqual([mine, alsoMine].sort());
  expectError(await stack.request('GET', `/api/consultants/${notMine}`, leader.token), 404);

  const page = (await stack.request('GET', `/api/consultants/${mine}`, backOffice.token)).body;
  expect(page).toMatchObject({ status: 'active', sponsorId: leaderId, registrations: [{ case: 'new-consultant', channel: 'corporate-backend' }] });
  expect(page.stateHistory.map((h: { from: string; to: string; reason: string | null }) => [h.from, h.to, h.reason])).toEqual([
    ['pre-registered', 'active', 'registration approved'], ['active', 'inactive', 'Tres campañas sin pedidos'], ['inactive', 'active', 'Volvió a pedir'],
  ]);
  expect((await stack.request('GET', `/api/consultants/${leaderId}`, backOffice.token)).body.network).toEqual({ active: 2 });
});
