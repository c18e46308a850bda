/**
 * What the CRMs know about a client, and two rules read from it (the CRMs themselves are read by
 * activities/domain/crm through `CrmAdapter`s):
 * - seed 000, who the commercial owner is (the seller named on the invoice), checked in this order:
 *   a HubSpot contact with an owner; a CRM Nova contact with an owner; a CRM Nova company tied to the
 *   contact (or with the client's tax id) with an owner. None of them: the invoice names no seller;
 * - seed 004, where the client exists: ONYX and/or RR (the YAML routes the contract accordingly).
 */

export type CrmSystem = 'hubspot' | 'crm-nova' | 'onyx' | 'rr';

export interface CrmContact {
  externalId: string;
  email: string | null;
  taxId: string | null;
  name: string;
  /** The commercial owner, when the CRM has one. */
  ownerName: string | null;
  /** The company the contact belongs to, by its tax id. */
  companyTaxId: string | null;
}

export interface CrmCompany {
  externalId: string;
  taxId: string | null;
  name: string;
  ownerName: string | null;
}

/** What each CRM returned for one client. */
export interface CrmFindings {
  contacts: Map<CrmSystem, CrmContact[]>;
  companies: Map<CrmSystem, CrmCompany[]>;
}

export type OwnerSource = 'hubspot-contact' | 'crm-nova-contact' | 'crm-nova-company';

export function commercialOwner(found: CrmFindings): { name: string; source: OwnerSource } | null {
  const contactOwner = (system: CrmSystem) => found.contacts.get(system)?.find((c) => c.ownerName)?.ownerName;
  const hubspot = contactOwner('hubspot');
  if (hubspot) return { name: hubspot, source: 'hubspot-contact' };
  const nova = contactOwner('crm-nova');
  if (nova) return { name: nova, source: 'crm-nova-contact' };
  const company = found.companies.get('crm-nova')?.find((c) => c.ownerName)?.ownerName;
  if (company) return { name: company, source: 'crm-nova-company' };
  return null;
}

/** The CRMs that know the client (a contact or a company), sorted. */
export function systemsKnowing(found: CrmFindings): CrmSystem[] {
  const systems = new Set<CrmSystem>();
  for (const [system, rows] of [...found.contacts, ...found.companies]) if (rows.length > 0) systems.add(system);
  return [...systems].sort();
}
