/** What a lead is and who works it (domain/leads), with the API's and the import's own inputs. */
import { checkLead, contactGains, namedOwnerProblem, newOpportunityOwner, nextInTurn, type LeadInput } from '../../../domain/leads';

const OWNER = '3f1c2b9e-8d4a-4e6f-9a1b-2c3d4e5f6a7b';

function lead(overrides: Partial<LeadInput> = {}): LeadInput {
  return { email: 'Contacto@PanaderiaLaEspiga.cl ', name: ' María González ', channel: 'landing', actor: 'dcs.ana', ...overrides };
}

describe('checkLead', () => {
  test('a good lead comes back clean: email lower-cased and trimmed, RUTs normalised, blanks as null', () => {
    const { clean, problems } = checkLead(
      lead({ rut: '12.345.678-5', phone: '  ', company: { name: 'Panadería La Espiga SpA', rut: '76.086.428-5' }, sourceDetail: 'form', ownerId: OWNER.toUpperCase() }),
    );
    expect(problems).toEqual([]);
    expect(clean).toEqual({
      email: 'contacto@panaderialaespiga.cl',
      name: 'María González',
      phone: null,
      rut: '12345678-5',
      company: { name: 'Panadería La Espiga SpA', rut: '76086428-5' },
      channel: 'landing',
      sourceDetail: 'form',
      campaign: null,
      partner: null,
      ownerId: OWNER,
      importId: null,
      actor: 'dcs.ana',
    });
  });

  test('a RUT with a wrong check digit is refused at its field, for the contact and for the company', () => {
    const { clean, problems } = checkLead(lead({ rut: '12.345.678-9', company: { name: 'Panadería La Espiga SpA', rut: '76.086.428-4' } }));
    expect(clean).toBeNull();
    expect(problems).toEqual([
      { field: 'rut', message: 'rut: is not a valid Chilean RUT (format or check digit; got "12.345.678-9")' },
      { field: 'company.rut', message: 'company.rut: is not a valid Chilean RUT (format or check digit; got "76.086.428-4")' },
    ]);
  });

  test('every problem at once, each message starting with its field, in the activities\' wording', () => {
    const { clean, problems } = checkLead({
      email: 'contacto@panaderia',
      name: '   ',
      channel: 'fax',
      company: { name: '' },
      ownerId: 'camila',
      actor: 'import',
    } as LeadInput);
    expect(clean).toBeNull();
    expect(problems).toEqual([
      { field: 'email', message: 'email: is not a valid email (got "contacto@panaderia")' },
      { field: 'name', message: 'name: is required and must be a non-empty string' },
      { field: 'company.name', message: 'company.name: is required when a company is given' },
      { field: 'channel', message: 'channel: must be one of ecommerce, landing, hubspot, assisted, partner, upgrade (got "fax")' },
      { field: 'ownerId', message: 'ownerId: must be a uuid' },
    ]);
  });

  test('a missing email or one that is not a string is "required"', () => {
    expect(checkLead(lead({ email: undefined as unknown as string })).problems).toEqual([
      { field: 'email', message: 'email: is required and must be a non-empty string' },
    ]);
    expect(checkLead(lead({ email: 42 as unknown as string })).problems.map((p) => p.field)).toEqual(['email']);
  });
});

describe('ownership', () => {
  test('a named owner must exist and be active', () => {
    expect(namedOwnerProblem(OWNER, { id: OWNER, active: true })).toBeNull();
    expect(namedOwnerProblem(OWNER, { id: OWNER, active: false })).toEqual({ field: 'ownerId', message: `ownerId: owner ${OWNER} is inactive` });
    expect(namedOwnerProblem(OWNER, null)).toEqual({ field: 'ownerId', message: `ownerId: no owner ${OWNER}` });
  });

  test("a new opportunity's owner: the lead's, else the contact's, else the company's, inherited ones only while active", () => {
    const camila = { id: 'camila', active: true };
    const matias = { id: 'matias', active: true };
    const left = { id: 'diego', active: false };
    expect(newOpportunityOwner({ named: 'ana', contact: camila, company: matias })).toBe('ana');
    expect(newOpportunityOwner({ named: null, contact: camila, company: matias })).toBe('camila');
    expect(newOpportunityOwner({ named: null, contact: left, company: matias })).toBe('matias');
    expect(newOpportunityOwner({ named: null, contact: null, company: left })).toBeNull();
    expect(newOpportunityOwner({ named: null, contact: null, company: null })).toBeNull();
  });

  test('a later lead only fills what the contact lacks', () => {
    const known = { phone: '+56 9 1234 5678', rut: null, companyId: null, ownerId: 'camila' };
    expect(contactGains(known, { phone: '+56 2 2222 2222', rut: '12345678-5', companyId: 'espiga', ownerId: 'matias' })).toEqual({
      rut: '12345678-5',
      companyId: 'espiga',
    });
    expect(contactGains(known, { phone: null, rut: null, companyId: null, ownerId: null })).toEqual({});
  });

  test('owners take turns in a fixed order, wrapping around; an unknown last pick starts over', () => {
    const sales = [{ id: 'camila' }, { id: 'diego' }, { id: 'matias' }];
    expect(nextInTurn(sales, null)?.id).toBe('camila');
    expect(nextInTurn(sales, 'camila')?.id).toBe('diego');
    expect(nextInTurn(sales, 'matias')?.id).toBe('camila');
    expect(nextInTurn(sales, 'left-the-team')?.id).toBe('camila');
    expect(nextInTurn([], 'camila')).toBeUndefined();
  });
});
