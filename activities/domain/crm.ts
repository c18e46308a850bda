/**
 * Client lookup in the CRMs mirrored in `crm_records` (read only).
 * Two business rules live here:
 * - seed 000, who the commercial owner is (the seller named on the invoice), checked in this order:
 *   a HubSpot contact with an owner; a CRM Nova contact with an owner; a CRM Nova company tied to the
 *   contact (or with the client's tax id) with an owner;
 * - seed 004, where the client exists: ONYX and/or RR (the YAML routes the contract accordingly).
 */
import type { Knex } from 'knex';
import type { ProcessActivity } from '../context';
import { normalizeRut } from './rut';
import { invalid, optionalString } from './support';

interface CrmRow {
  system: 'hubspot' | 'crm-nova' | 'onyx' | 'rr';
  kind: 'contact' | 'company';
  email: string | null;
  tax_id: string | null;
  owner_name: string | null;
  company_tax_id: string | null;
}

/** Tax ids are compared without dots or spaces, so `76.086.428-5` matches `76086428-5`. */
function taxKey(value: string): string {
  return normalizeRut(value) ?? value.replace(/[.\s]/g, '').toUpperCase();
}

function commercialOwner(rows: CrmRow[], companies: CrmRow[]): { name: string; source: string } | null {
  const contactWithOwner = (system: CrmRow['system']) => rows.find((r) => r.kind === 'contact' && r.system === system && r.owner_name);
  const hubspot = contactWithOwner('hubspot');
  if (hubspot) return { name: hubspot.owner_name as string, source: 'hubspot-contact' };
  const nova = contactWithOwner('crm-nova');
  if (nova) return { name: nova.owner_name as string, source: 'crm-nova-contact' };
  const company = companies.find((r) => r.system === 'crm-nova' && r.owner_name);
  if (company) return { name: company.owner_name as string, source: 'crm-nova-company' };
  return null;
}

export function createCrmActivities({ db }: { db: Knex }): Record<string, ProcessActivity> {
  return {
    async 'crm.lookupClient'(input) {
      const email = optionalString(input, 'email')?.toLowerCase() ?? null;
      const rawTaxId = optionalString(input, 'taxId');
      if (!email && !rawTaxId) throw invalid('email', 'email or taxId is required');
      const taxId = rawTaxId ? taxKey(rawTaxId) : null;

      const rows = (await db('crm_records')
        .where((q) => {
          if (email) q.orWhereRaw('lower(email) = ?', [email]);
          if (taxId) q.orWhere({ tax_id: taxId });
        })
        .orderBy('id')) as CrmRow[];
      const companyTaxIds = [
        ...new Set([taxId, ...rows.map((r) => r.company_tax_id)].filter((v): v is string => Boolean(v))),
      ];
      const companies = companyTaxIds.length
        ? ((await db('crm_records').where({ kind: 'company' }).whereIn('tax_id', companyTaxIds).orderBy('id')) as CrmRow[])
        : [];

      const systems = [...new Set([...rows, ...companies].map((r) => r.system))].sort();
      const owner = commercialOwner(rows, companies);
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
