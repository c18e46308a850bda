/** Who the commercial owner is, and which CRMs know a client (domain/crm). */
import { commercialOwner, systemsKnowing, type CrmCompany, type CrmContact, type CrmFindings, type CrmSystem } from '../../../domain/crm';

const contact = (ownerName: string | null): CrmContact => ({
  externalId: 'c-1', email: 'contacto@panaderialaespiga.cl', taxId: '76086428-5', name: 'María González', ownerName, companyTaxId: null,
});
const company = (ownerName: string | null): CrmCompany => ({ externalId: 'co-1', taxId: '76086428-5', name: 'Panadería La Espiga SpA', ownerName });

function findings(contacts: Partial<Record<CrmSystem, CrmContact[]>>, companies: Partial<Record<CrmSystem, CrmCompany[]>> = {}): CrmFindings {
  const all: CrmSystem[] = ['hubspot', 'crm-nova', 'onyx', 'rr'];
  return {
    contacts: new Map(all.map((s) => [s, contacts[s] ?? []])),
    companies: new Map(all.map((s) => [s, companies[s] ?? []])),
  };
}

test('HubSpot contact owner first, then CRM Nova contact, then CRM Nova company; else no seller', () => {
  expect(commercialOwner(findings({ hubspot: [contact('Carla Soto')], 'crm-nova': [contact('Pedro Nova')] }, { 'crm-nova': [company('Rosa Empresa')] })))
    .toEqual({ name: 'Carla Soto', source: 'hubspot-contact' });
  expect(commercialOwner(findings({ hubspot: [contact(null)], 'crm-nova': [contact('Pedro Nova')] }, { 'crm-nova': [company('Rosa Empresa')] })))
    .toEqual({ name: 'Pedro Nova', source: 'crm-nova-contact' });
  expect(commercialOwner(findings({ hubspot: [contact(null)] }, { 'crm-nova': [company(null), company('Rosa Empresa')] })))
    .toEqual({ name: 'Rosa Empresa', source: 'crm-nova-company' });
  // ONYX and RR owners never name the seller.
  expect(commercialOwner(findings({ onyx: [contact('Otro')] }, { rr: [company('Otra')], hubspot: [company('HubSpot company')] }))).toBeNull();
  expect(commercialOwner(findings({}))).toBeNull();
});

test('the systems that know the client, by contact or company, sorted', () => {
  expect(systemsKnowing(findings({ rr: [contact(null)] }, { onyx: [company(null)] }))).toEqual(['onyx', 'rr']);
  expect(systemsKnowing(findings({ onyx: [contact(null)] }, { onyx: [company(null)] }))).toEqual(['onyx']);
  expect(systemsKnowing(findings({}))).toEqual([]);
});
