/** Client lookup across the CRMs (read only, through `CrmAdapter`s); what it finds is judged by domain/crm. */
import type { Knex } from 'knex';
import { commercialOwner, systemsKnowing, type CrmFindings } from '../../../domain/crm';
import { taxIdKey } from '../../../domain/identity';
import type { ProcessActivity } from '../../context';
import { invalid, optionalString } from '../support';
import { localCrmAdapters, type CrmAdapter } from './adapters';

export function createCrmActivities({ db, crms }: { db: Knex; crms?: CrmAdapter[] }): Record<string, ProcessActivity> {
  const adapters = crms ?? localCrmAdapters(db);
  return {
    async 'crm.lookupClient'(input) {
      const email = optionalString(input, 'email')?.toLowerCase() ?? null;
      const rawTaxId = optionalString(input, 'taxId');
      if (!email && !rawTaxId) throw invalid('email', 'email or taxId is required');
      const taxId = rawTaxId ? taxIdKey(rawTaxId) : null;

      const found: CrmFindings = { contacts: new Map(), companies: new Map() };
      for (const crm of adapters) found.contacts.set(crm.system, await crm.findContacts({ email, taxId }));
      // The companies tied to the contact in any CRM, plus a company that is the client itself.
      const companyTaxIds = [
        ...new Set([taxId, ...[...found.contacts.values()].flat().map((c) => c.companyTaxId)].filter((v): v is string => Boolean(v))),
      ];
      for (const crm of adapters) found.companies.set(crm.system, await crm.findCompanies(companyTaxIds));

      const systems = systemsKnowing(found);
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
