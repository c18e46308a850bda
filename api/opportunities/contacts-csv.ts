/**
 * The CRM contact CSV (seed 000, HubSpot channel: bulk loads, partners, campaigns, referrals): its
 * columns, read by the one CSV reader (api/csv.ts), and the per-row checks. No I/O here; the upload
 * (import-upload.ts) stores the rows and the import job works them.
 */
import type { Readable } from 'node:stream';
import { readCsv, type CsvRow as AnyCsvRow, type CsvSpec } from '../csv';
import { checkLead, type LeadInput } from './store';

export const CSV_COLUMNS = ['email', 'name', 'phone', 'rut', 'company', 'company_rut', 'channel', 'source', 'campaign', 'partner', 'owner_email'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
const CONTACTS_CSV: CsvSpec<CsvColumn> = { columns: CSV_COLUMNS, required: ['email', 'name'], rows: 'contacts' };

export type CsvRow = AnyCsvRow<CsvColumn>;

/** The rows of a contacts CSV (see readCsv). */
export const readContactsCsv = (body: Readable | Iterable<string | Buffer>) => readCsv(body, CONTACTS_CSV);

/** How the contact reached the CRM; stored as the opportunity's `source_detail`. */
const SOURCES = ['bulk', 'partner', 'campaign', 'referral'] as const;
const DEFAULT_CHANNEL = 'hubspot';
const DEFAULT_SOURCE = 'bulk';

export interface OwnerRef {
  id: string;
  active: boolean;
}

/** A row is either a lead to bring in or the reasons it cannot be. */
export type CheckedRow =
  | { line: number; lead: Omit<LeadInput, 'actor' | 'importId'>; reasons?: undefined }
  | { line: number; lead?: undefined; reasons: string[] };

/** LeadInput fields → the CSV column a person would fix. */
const COLUMN_OF: Record<string, CsvColumn> = { 'company.name': 'company', 'company.rut': 'company_rut', ownerId: 'owner_email' };

/**
 * The checker of one file's rows, in file order: every reason a row cannot be imported, in the words of
 * checkLead (the same rules as the API) plus what only a file can get wrong: a known source and owner,
 * and an email already used by an earlier row (remembered per email, not per row).
 */
export function rowChecker(owners: Map<string, OwnerRef>): (row: CsvRow) => CheckedRow {
  const firstLineOf = new Map<string, number>();
  return ({ line, values: v, shape }) => {
    const reasons: string[] = shape ? [shape] : [];
    const channel = v.channel?.toLowerCase() ?? DEFAULT_CHANNEL;
    const source = v.source?.toLowerCase() ?? DEFAULT_SOURCE;
    if (!(SOURCES as readonly string[]).includes(source)) reasons.push(`source: must be one of ${SOURCES.join(', ')} (got ${JSON.stringify(v.source)})`);
    if ((source === 'partner' || channel === 'partner') && !v.partner) reasons.push('partner: is required for a partner lead');
    if (source === 'campaign' && !v.campaign) reasons.push('campaign: is required when source is campaign');
    if (v.company_rut && !v.company) reasons.push('company: is required when company_rut is given');

    let ownerId: string | undefined;
    if (v.owner_email) {
      const owner = owners.get(v.owner_email.toLowerCase());
      if (!owner) reasons.push(`owner_email: no owner with email ${JSON.stringify(v.owner_email)}`);
      else if (!owner.active) reasons.push(`owner_email: owner ${v.owner_email} is inactive`);
      else ownerId = owner.id;
    }

    const email = v.email?.toLowerCase();
    if (email) {
      const first = firstLineOf.get(email);
      if (first !== undefined) reasons.push(`email: ${email} already appears on line ${first}`);
      else firstLineOf.set(email, line);
    }

    const lead = {
      email: v.email ?? '',
      name: v.name ?? '',
      phone: v.phone ?? null,
      rut: v.rut ?? null,
      company: v.company ? { name: v.company, rut: v.company_rut ?? null } : null,
      channel,
      sourceDetail: source,
      campaign: v.campaign ?? null,
      partner: v.partner ?? null,
      ownerId: ownerId ?? null,
    };
    const { problems } = checkLead({ ...lead, actor: 'csv' });
    for (const p of problems) {
      const column = COLUMN_OF[p.field];
      reasons.push(column ? p.message.replace(`${p.field}:`, `${column}:`) : p.message);
    }
    return reasons.length ? { line, reasons } : { line, lead };
  };
}
