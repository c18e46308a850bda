/**
 * Client lookup across the CRMs (read only, through `CrmAdapter`s). Two business rules live here:
 * - seed 000, who the commercial owner is (the seller named on the invoice), checked in this order:
 *   a HubSpot contact with an owner; a CRM Nova contact with an owner; a CRM Nova company tied to the
 *   contact (or with the client's tax id) with an owner. None of them: the invoice names no seller;
 * - seed 004, where the client exists: ONYX and/or RR (the YAML routes the contract accordingly).
 */
import type { Knex } from 'knex';
import type { ProcessActivity } from '../../context';
import { normalizeRut } from '../../../workflows/formats';
import { invalid, optionalString } from '../support';
import { localCrmAdapters, type CrmAdapter, type CrmCompany, type CrmContact, type CrmSystem } from './adapters';

/** Tax ids are compared without dots or spaces, so `76.086.428-5` matches `76086428-5`. */
function taxKey(value: string): string {
  return normalizeRut(value) ?? value.replace(/[.\s]/g, '').toUpperCase();
}

type Found = { contacts: Map<CrmSystem, CrmContact[]>; companies: Map<CrmSystem, CrmCompany[]> };

export type OwnerSource = 'hubspot-contact' | 'crm-nova-contact' | 'crm-nova-company';

export function commercialOwner(found: Found): { name: string; source: OwnerSource } | null {
  const contactOwner = (system: CrmSystem) => found.contacts.get(system)?.find((c) => c.ownerName)?.ownerName;
  const hubspot = contactOwner('hubspot');
  if (hubspot) return { name: hubspot, source: 'hubspot-contact' };
  const nova = contactOwner('crm-nova');
  if (nova) return { name: nova, source: 'crm-nova-contact' };
  const company = found.companies.get('crm-nova')?.find((c) => c.ownerName)?.ownerName;
  if (company) return { name: company, source: 'crm-nova-company' };
  return null;
}

export function createCrmActivities({ db, crms }: { db: Knex; crms?: CrmAdapter[] }): Record<string, ProcessActivity> {
  const adapters = crms ?? localCrmAdapters(db);
  return {
    async 'crm.lookupClient'(input) {
      const email = optionalString(input, 'email')?.toLowerCase() ?? null;
      const rawTaxId = optionalString(input, 'taxId');
      if (!email && !rawTaxId) throw invalid('email', 'email or taxId is required');
      const taxId = rawTaxId ? taxKey(rawTaxId) : null;

      const found: Found = { contacts: new Map(), companies: new Map() };
      for (const crm of adapters) found.contacts.set(crm.system, await crm.findContacts({ email, taxId }));
      // The companies tied to the contact in any CRM, plus a company that is the client itself.
      const companyTaxIds = [
        ...new Set([taxId, ...[...found.contacts.values()].flat().map((c) => c.companyTaxId)].filter((v): v is string => Boolean(v))),
      ];
      for (const crm of adapters) found.companies.set(crm.system, await crm.findCompanies(companyTaxIds));

      const systems = adapters
        .filter((crm) => (found.contacts.get(crm.system)?.length ?? 0) + (found.companies.get(crm.system)?.length ?? 0) > 0)
        .map((crm) => crm.system)
        .sort();
      const owner = commercialOwner(found);
      return {
        found: systems.length > 0,
        systems,
        inOnyx: systems.includes('onyx'),
        inRr: systems.includes('rr'),
        commercialOwner: owner?.name ?? null,
        ownerSource: owner?.source ?? null,
      };
    },
  };
}
