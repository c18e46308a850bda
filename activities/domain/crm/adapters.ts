/**
 * The external CRMs a digital sale consults (seed 000: HubSpot and CRM Nova; seed 004: ONYX and RR),
 * each behind one interface. The default adapters read the local mirror table `crm_records` (kept by
 * sync jobs outside Cauce); a live HubSpot or CRM Nova client implements the same two reads.
 */
import type { Knex } from 'knex';
import type { CrmCompany, CrmContact, CrmSystem } from '../../../domain/crm';

export interface CrmAdapter {
  readonly system: CrmSystem;
  /** Contacts with this email (case-insensitive) or this normalised tax id. */
  findContacts(query: { email: string | null; taxId: string | null }): Promise<CrmContact[]>;
  findCompanies(taxIds: string[]): Promise<CrmCompany[]>;
}

interface Row {
  external_id: string; email: string | null; tax_id: string | null; name: string; owner_name: string | null; company_tax_id: string | null;
}

function localAdapter(db: Knex, system: CrmSystem): CrmAdapter {
  return {
    system,
    async findContacts({ email, taxId }) {
      if (!email && !taxId) return [];
      const rows: Row[] = await db('crm_records')
        .where({ system, kind: 'contact' })
        .andWhere((q) => {
          if (email) q.orWhereRaw('lower(email) = ?', [email.toLowerCase()]);
          if (taxId) q.orWhere({ tax_id: taxId });
        })
        .orderBy('id');
      return rows.map((r) => ({
        externalId: r.external_id, email: r.email, taxId: r.tax_id, name: r.name, ownerName: r.owner_name, companyTaxId: r.company_tax_id,
      }));
    },
    async findCompanies(taxIds) {
      if (taxIds.length === 0) return [];
      const rows: Row[] = await db('crm_records').where({ system, kind: 'company' }).whereIn('tax_id', taxIds).orderBy('id');
      return rows.map((r) => ({ externalId: r.external_id, taxId: r.tax_id, name: r.name, ownerName: r.owner_name }));
    },
  };
}

/** The default: every CRM read from `crm_records`. */
export function localCrmAdapters(db: Knex): CrmAdapter[] {
  return (['hubspot', 'crm-nova', 'onyx', 'rr'] as const).map((system) => localAdapter(db, system));
}
