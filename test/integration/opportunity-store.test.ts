/**
 * ensureOpportunity (api/opportunities/store.ts) against a real Postgres: how a lead finds or creates
 * its company and contact, who owns the opportunity, one open opportunity per contact even under
 * concurrent calls, and bad input refused naming the field with nothing written.
 */
import type { Knex } from 'knex';
import { HttpError } from '../../api/errors';
import { ensureOpportunity, type LeadInput } from '../../api/opportunities/store';
import { countRows, freshDatabase, type FreshDatabase } from '../support/database';
import { rejectionOf } from '../support/errors';

let env: FreshDatabase;
let db: Knex;
let owners: Record<'camila' | 'matias' | 'diego', string>;

beforeAll(async () => {
  env = await freshDatabase();
  db = env.db;
  const id = async (email: string) => (await db('owners').where({ email }).first('id')).id as string;
  owners = { camila: await id('camila.rojas@cauce.example'), matias: await id('matias.perez@cauce.example'), diego: await id('diego.fuentes@cauce.example') };
});
afterAll(async () => {
  await env?.drop();
});

let seq = 0;
function lead(overrides: Partial<LeadInput> = {}): LeadInput {
  seq += 1;
  return { email: `lead${seq}@ferreteriaelsol.cl`, name: `Lead ${seq}`, channel: 'landing', sourceDetail: 'form', actor: 'tester', ...overrides };
}

describe('contact and company', () => {
  test('a new lead creates its company (RUT normalised), contact (email lower-cased) and an open opportunity', async () => {
    const res = await ensureOpportunity(db, lead({
      email: 'Maria.Gonzalez@FerreteriaElSol.cl', rut: '12.345.678-5', phone: '+56 9 8765 4321',
      company: { name: 'Ferretería El Sol Ltda.', rut: '77.123.456-9' }, channel: 'hubspot', sourceDetail: 'campaign', campaign: 'cyber-2026',
    }));
    expect(res).toEqual({ opportunityId: expect.any(String), contactId: expect.any(String), companyId: expect.any(String), ownerId: null, created: true });
    expect(await db('companies').where({ id: res.companyId }).first()).toMatchObject({ rut: '77123456-9', name: 'Ferretería El Sol Ltda.' });
    expect(await db('contacts').where({ id: res.contactId }).first()).toMatchObject({
      email: 'maria.gonzalez@ferreteriaelsol.cl', rut: '12345678-5', company_id: res.companyId, channel: 'hubspot', source_detail: 'campaign', campaign: 'cyber-2026',
    });
    expect(await db('opportunities').where({ id: res.opportunityId }).first()).toMatchObject({
      contact_id: res.contactId, company_id: res.companyId, channel: 'hubspot', source_detail: 'campaign', status: 'open', owner_id: null,
    });
  });

  test('the same email (any casing) returns the open opportunity; the contact keeps its first channel', async () => {
    const first = await ensureOpportunity(db, lead({ email: 'juan@laespiga.cl', channel: 'landing' }));
    const again = await ensureOpportunity(db, lead({ email: 'JUAN@laespiga.cl', channel: 'partner', partner: 'Contadores Asociados', phone: '+56 2 2345 6789' }));
    expect(again).toEqual({ ...first, created: false });
    const contact = await db('contacts').where({ id: first.contactId }).first();
    expect(contact).toMatchObject({ channel: 'landing', phone: '+56 2 2345 6789' }); // a blank is filled, nothing overwritten
    expect(await countRows(db, 'opportunities', { contact_id: first.contactId })).toBe(1);
  });

  test('a company is found by RUT whatever its format, else by name ignoring case', async () => {
    const byRut = await ensureOpportunity(db, lead({ company: { name: 'Panadería La Espiga SpA', rut: '76.086.428-5' } }));
    const sameRut = await ensureOpportunity(db, lead({ company: { name: 'La Espiga (otro nombre)', rut: '760864285' } }));
    expect(sameRut.companyId).toBe(byRut.companyId);
    expect((await db('companies').where({ id: byRut.companyId }).first()).name).toBe('Panadería La Espiga SpA');

    const byName = await ensureOpportunity(db, lead({ company: { name: 'Maderas Los Robles' } }));
    const sameName = await ensureOpportunity(db, lead({ company: { name: 'MADERAS LOS ROBLES' } }));
    expect(sameName.companyId).toBe(byName.companyId);
    expect(await countRows(db, 'companies', { name: 'Maderas Los Robles' })).toBe(1);
  });

  test('once the open opportunity is closed, the next lead of the contact opens a new one', async () => {
    const first = await ensureOpportunity(db, lead({ email: 'vuelve@clinicaandes.cl' }));
    await db('opportunities').where({ id: first.opportunityId }).update({ status: 'lost', lost_reason: 'not interested', closed_at: db.fn.now() });
    const second = await ensureOpportunity(db, lead({ email: 'vuelve@clinicaandes.cl' }));
    expect(second).toMatchObject({ contactId: first.contactId, created: true });
    expect(second.opportunityId).not.toBe(first.opportunityId);
  });
});

describe('owner', () => {
  test("explicit owner first: set on the contact and the opportunity, each with an assignment row", async () => {
    const res = await ensureOpportunity(db, lead({ ownerId: owners.diego, actor: 'camila' }));
    expect(res.ownerId).toBe(owners.diego);
    expect((await db('contacts').where({ id: res.contactId }).first()).owner_id).toBe(owners.diego);
    const assignments = await db('owner_assignments').whereIn('entity_id', [res.contactId, res.opportunityId]).orderBy('id');
    expect(assignments.map((a) => [a.entity, a.owner_id, a.assigned_by])).toEqual([
      ['contact', owners.diego, 'camila'],
      ['opportunity', owners.diego, 'camila'],
    ]);
  });

  test("else the contact's owner, else the company's, else none", async () => {
    const company = (await db('companies').insert({ name: 'Constructora Austral', rut: '76543210-3', owner_id: owners.matias }).returning('id'))[0].id;
    const contactOwned = (await db('contacts').insert({ email: 'owned@austral.cl', name: 'Owned', channel: 'hubspot', owner_id: owners.camila, company_id: company }).returning('id'))[0].id;

    const fromContact = await ensureOpportunity(db, lead({ email: 'owned@austral.cl' }));
    expect(fromContact).toMatchObject({ contactId: contactOwned, companyId: company, ownerId: owners.camila, created: true });

    const fromCompany = await ensureOpportunity(db, lead({ company: { name: 'Austral', rut: '76.543.210-3' } }));
    expect(fromCompany).toMatchObject({ companyId: company, ownerId: owners.matias, created: true });
    expect(await db('owner_assignments').where({ entity: 'opportunity', entity_id: fromCompany.opportunityId })).toEqual([
      expect.objectContaining({ owner_id: owners.matias, assigned_by: 'tester' }),
    ]);

    const none = await ensureOpportunity(db, lead());
    expect(none.ownerId).toBeNull();
    expect(await countRows(db, 'owner_assignments', { entity_id: none.opportunityId })).toBe(0);
  });

  test('an inactive owner is not inherited, and cannot be given explicitly', async () => {
    const [gone] = await db('owners').insert({ name: 'Ex Vendedor', email: 'ex@cauce.example', team: 'sales', active: false }).returning('id');
    await db('companies').insert({ name: 'Sin Dueño', rut: '11111111-1', owner_id: gone.id });
    const res = await ensureOpportunity(db, lead({ company: { name: 'Sin Dueño', rut: '11.111.111-1' } }));
    expect(res.ownerId).toBeNull();

    const err = await rejectionOf(ensureOpportunity(db, lead({ ownerId: gone.id })), HttpError);
    expect(err).toMatchObject({ status: 422, code: 'invalid_lead', details: [{ in: 'body', path: '/ownerId', message: `ownerId: owner ${gone.id} is inactive` }] });
    const unknown = await rejectionOf(ensureOpportunity(db, lead({ ownerId: '00000000-0000-4000-8000-000000000000' })), HttpError);
    expect(unknown.details).toEqual([expect.objectContaining({ path: '/ownerId', message: 'ownerId: no owner 00000000-0000-4000-8000-000000000000' })]);
  });
});

describe('concurrency', () => {
  test('concurrent leads of one new contact create one contact and one opportunity', async () => {
    const email = 'carrera@ferreteriaelsol.cl';
    const results = await Promise.all(Array.from({ length: 8 }, () => ensureOpportunity(db, lead({ email, company: { name: 'Carrera SpA' } }))));
    expect(new Set(results.map((r) => r.opportunityId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await countRows(db, 'contacts', { email })).toBe(1);
    expect(await countRows(db, 'opportunities', { contact_id: results[0].contactId })).toBe(1);
    expect(await countRows(db, 'companies', { name: 'Carrera SpA' })).toBe(1);
  });

  test('concurrent leads of one existing contact create one opportunity', async () => {
    const email = 'existente@laespiga.cl';
    await db('contacts').insert({ email, name: 'Existente', channel: 'hubspot' });
    const results = await Promise.all(Array.from({ length: 8 }, () => ensureOpportunity(db, lead({ email }))));
    expect(new Set(results.map((r) => r.opportunityId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });
});

describe('bad input', () => {
  test('every problem is reported at once, naming its field, and nothing is written', async () => {
    const before = await Promise.all(['contacts', 'companies', 'opportunities'].map((t) => countRows(db, t)));
    const err = await rejectionOf(ensureOpportunity(db, {
      email: 'no-es-un-correo', name: ' ', rut: '12.345.678-9', company: { name: 'X', rut: '76.086.428-0' }, channel: 'fax', actor: 'tester',
    }), HttpError);
    expect(err).toMatchObject({ status: 422, code: 'invalid_lead' });
    expect(err.details).toEqual([
      { in: 'body', path: '/email', message: 'email: is not a valid email (got "no-es-un-correo")' },
      { in: 'body', path: '/name', message: 'name: is required and must be a non-empty string' },
      { in: 'body', path: '/rut', message: 'rut: is not a valid Chilean RUT (format or check digit; got "12.345.678-9")' },
      { in: 'body', path: '/company/rut', message: 'company.rut: is not a valid Chilean RUT (format or check digit; got "76.086.428-0")' },
      { in: 'body', path: '/channel', message: expect.stringMatching(/^channel: must be one of ecommerce, landing, hubspot, assisted, partner, upgrade \(got "fax"\)$/) },
    ]);
    expect(await Promise.all(['contacts', 'companies', 'opportunities'].map((t) => countRows(db, t)))).toEqual(before);
  });
});
