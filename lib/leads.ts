/**
 * Leads become opportunities (docs/DIGITAL-SALE.md): a contact (one per email), optionally its company
 * (one per RUT), and at most one open opportunity per contact. Every way a lead arrives — landing form,
 * partner, assisted deal, CRM CSV import, self-service signup — goes through `ensureOpportunity`, so
 * these rules live in one place. The API (one lead, signup, the CSV upload's checks) and the import
 * job's activities (activities/imports.ts) both call them.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import { normalizeRut } from '../workflows/formats';
import { checkEmail, optionalUuid, requireString } from '../activities/domain/support';
import { SALES_CHANNELS } from '../activities/domain/channels';

export interface LeadInput {
  email: string;
  name: string;
  phone?: string | null;
  rut?: string | null;
  company?: { name: string; rut?: string | null } | null;
  channel: string;
  sourceDetail?: string | null;
  campaign?: string | null;
  partner?: string | null;
  ownerId?: string | null;
  importId?: string | null;
  /** Who brought the lead in (a username): recorded on owner assignments. */
  actor: string;
}

export interface EnsuredOpportunity {
  opportunityId: string;
  contactId: string;
  companyId: string | null;
  ownerId: string | null;
  /** false: the contact already had an open opportunity, which is returned unchanged. */
  created: boolean;
}

/** One problem with a lead; `field` is the LeadInput path (`email`, `company.rut`…), `message` starts with it. */
export interface LeadProblem {
  field: string;
  message: string;
}

/** A lead that cannot be brought in; the API answers it as 422 `invalid_lead`, an import records the row invalid. */
export class InvalidLead extends Error {
  constructor(readonly problems: LeadProblem[]) {
    super(problems.map((p) => p.message).join('; '));
    this.name = 'InvalidLead';
  }
}

const CHANNEL_CODES: readonly string[] = SALES_CHANNELS;

/** The lead as stored: email lower-cased, RUTs normalised (`76086428-5`), blanks as null. */
export interface CleanLead {
  email: string;
  name: string;
  phone: string | null;
  rut: string | null;
  company: { name: string; rut: string | null } | null;
  channel: string;
  sourceDetail: string | null;
  campaign: string | null;
  partner: string | null;
  ownerId: string | null;
  importId: string | null;
  actor: string;
}

const blank = (value: string | null | undefined): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

/**
 * Runs one of support.ts' validators (they throw InvalidInput naming the field) and keeps its message
 * as a problem, so every problem of a lead is reported at once with the activities' own wording.
 */
function collect<T>(problems: LeadProblem[], field: string, validate: () => T): T | null {
  try {
    return validate();
  } catch (err) {
    if (!(err instanceof ApplicationFailure) || err.type !== 'InvalidInput') throw err;
    problems.push({ field, message: err.message });
    return null;
  }
}

function rutOf(problems: LeadProblem[], field: string, value: string | null | undefined): string | null {
  const raw = blank(value);
  if (raw === null) return null;
  const rut = normalizeRut(raw);
  if (!rut) problems.push({ field, message: `${field}: is not a valid Chilean RUT (format or check digit; got ${JSON.stringify(raw)})` });
  return rut;
}

/** Checks a lead without touching the database: the clean lead, or null and every problem found. */
export function checkLead(lead: LeadInput): { clean: CleanLead | null; problems: LeadProblem[] } {
  const problems: LeadProblem[] = [];
  const input = lead as unknown as Record<string, unknown>;
  const email = collect(problems, 'email', () => checkEmail('email', requireString(input, 'email').toLowerCase()));
  const name = collect(problems, 'name', () => requireString(input, 'name'));
  const rut = rutOf(problems, 'rut', lead.rut);
  let company: CleanLead['company'] = null;
  if (lead.company) {
    const companyName = blank(lead.company.name);
    if (!companyName) problems.push({ field: 'company.name', message: 'company.name: is required when a company is given' });
    const companyRut = rutOf(problems, 'company.rut', lead.company.rut);
    if (companyName) company = { name: companyName, rut: companyRut };
  }
  if (!CHANNEL_CODES.includes(lead.channel)) {
    problems.push({ field: 'channel', message: `channel: must be one of ${CHANNEL_CODES.join(', ')} (got ${JSON.stringify(lead.channel)})` });
  }
  const ownerId = collect(problems, 'ownerId', () => optionalUuid({ ownerId: blank(lead.ownerId) }, 'ownerId'));
  if (problems.length || !email || !name) return { clean: null, problems };
  return {
    clean: {
      email,
      name,
      phone: blank(lead.phone),
      rut,
      company,
      channel: lead.channel,
      sourceDetail: blank(lead.sourceDetail),
      campaign: blank(lead.campaign),
      partner: blank(lead.partner),
      ownerId,
      importId: blank(lead.importId),
      actor: lead.actor,
    },
    problems,
  };
}

interface OwnerRow { id: string; active: boolean }
interface CompanyRow { id: string; owner_id: string | null }
interface ContactRow { id: string; company_id: string | null; owner_id: string | null; phone: string | null; rut: string | null }
interface OpportunityRow { id: string; contact_id: string; company_id: string | null; owner_id: string | null }

async function explicitOwner(trx: Knex.Transaction, id: string): Promise<string> {
  const owner = (await trx('owners').where({ id }).first('id', 'active')) as OwnerRow | undefined;
  if (!owner) throw new InvalidLead([{ field: 'ownerId', message: `ownerId: no owner ${id}` }]);
  if (!owner.active) throw new InvalidLead([{ field: 'ownerId', message: `ownerId: owner ${id} is inactive` }]);
  return owner.id;
}

/** An inherited owner only counts while active: an owner who left gets no new leads. */
async function activeOwnerOrNull(trx: Knex.Transaction, id: string | null): Promise<string | null> {
  if (!id) return null;
  return ((await trx('owners').where({ id, active: true }).first('id')) as OwnerRow | undefined)?.id ?? null;
}

async function findOrCreateCompany(trx: Knex.Transaction, company: { name: string; rut: string | null }): Promise<CompanyRow> {
  if (company.rut) {
    const [inserted] = await trx('companies').insert({ rut: company.rut, name: company.name }).onConflict('rut').ignore().returning(['id', 'owner_id']);
    return inserted ?? (await trx('companies').where({ rut: company.rut }).first('id', 'owner_id'));
  }
  // No RUT means no unique key to lean on: serialise creators of the same name for this transaction.
  await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`company:${company.name.toLowerCase()}`]);
  const existing = await trx('companies').whereRaw('lower(name) = ?', [company.name.toLowerCase()]).orderBy('created_at').first('id', 'owner_id');
  if (existing) return existing;
  const [created] = await trx('companies').insert({ name: company.name }).returning(['id', 'owner_id']);
  return created;
}

async function assign(trx: Knex.Transaction, entity: 'contact' | 'opportunity', entityId: string, ownerId: string, actor: string) {
  await trx('owner_assignments').insert({ entity, entity_id: entityId, owner_id: ownerId, assigned_by: actor });
}

/**
 * The contact by email, created when new (its channel is the first one it came through). An existing
 * contact only gains what it lacks (phone, RUT, company, owner): a later lead never overwrites the CRM.
 */
async function findOrCreateContact(trx: Knex.Transaction, lead: CleanLead, companyId: string | null, ownerId: string | null): Promise<ContactRow> {
  const columns = ['id', 'company_id', 'owner_id', 'phone', 'rut'];
  const [created] = await trx('contacts')
    .insert({
      email: lead.email,
      name: lead.name,
      phone: lead.phone,
      rut: lead.rut,
      company_id: companyId,
      owner_id: ownerId,
      channel: lead.channel,
      source_detail: lead.sourceDetail,
      campaign: lead.campaign,
      partner: lead.partner,
    })
    .onConflict('email')
    .ignore()
    .returning(columns);
  if (created) {
    if (ownerId) await assign(trx, 'contact', created.id, ownerId, lead.actor);
    return created;
  }
  const contact = (await trx('contacts').where({ email: lead.email }).forUpdate().first(columns)) as ContactRow;
  const fill: Record<string, unknown> = {};
  if (!contact.phone && lead.phone) fill.phone = lead.phone;
  if (!contact.rut && lead.rut) fill.rut = lead.rut;
  if (!contact.company_id && companyId) fill.company_id = companyId;
  if (!contact.owner_id && ownerId) fill.owner_id = ownerId;
  if (Object.keys(fill).length === 0) return contact;
  await trx('contacts').where({ id: contact.id }).update(fill);
  if (fill.owner_id) await assign(trx, 'contact', contact.id, ownerId as string, lead.actor);
  return { ...contact, ...fill } as ContactRow;
}

function present(o: OpportunityRow, created: boolean): EnsuredOpportunity {
  return { opportunityId: o.id, contactId: o.contact_id, companyId: o.company_id, ownerId: o.owner_id, created };
}

/**
 * The contact's open opportunity, or a new one, with the lead as stored (checked and normalised once).
 * In one transaction: the company (by RUT, else by name) and the contact (by email) are found or
 * created; the owner is the lead's, else the contact's, else the company's, else none (the
 * digital-opportunity process then assigns one round-robin).
 * Concurrent calls for the same contact create one opportunity: the partial unique index
 * `opportunities_open_contact` decides, and the loser returns the winner's row.
 * Bad input throws InvalidLead naming every offending field. `db` may be a transaction (the import
 * job records the row's outcome in the same one).
 */
export async function ensureLead(db: Knex, lead: LeadInput): Promise<EnsuredOpportunity & { lead: CleanLead }> {
  const { clean, problems } = checkLead(lead);
  if (!clean) throw new InvalidLead(problems);
  return { ...(await openOpportunity(db, clean)), lead: clean };
}

/** `ensureLead` without the lead: the opportunity only. */
export async function ensureOpportunity(db: Knex, lead: LeadInput): Promise<EnsuredOpportunity> {
  const { lead: _lead, ...opportunity } = await ensureLead(db, lead);
  return opportunity;
}

async function openOpportunity(db: Knex, clean: CleanLead): Promise<EnsuredOpportunity> {
  // In the caller's transaction when given one (no savepoint: nothing here fails after a write and
  // expects to go on), else in its own.
  const inTransaction = <T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> =>
    db.isTransaction ? work(db as Knex.Transaction) : db.transaction(work);
  return inTransaction(async (trx) => {
    const leadOwner = clean.ownerId ? await explicitOwner(trx, clean.ownerId) : null;
    const company = clean.company ? await findOrCreateCompany(trx, clean.company) : null;
    const contact = await findOrCreateContact(trx, clean, company?.id ?? null, leadOwner);
    const open = (await trx('opportunities').where({ contact_id: contact.id, status: 'open' }).first()) as OpportunityRow | undefined;
    if (open) return present(open, false);

    const companyId = company?.id ?? contact.company_id;
    const companyOwner = companyId ? ((await trx('companies').where({ id: companyId }).first('owner_id')) as CompanyRow).owner_id : null;
    const ownerId = leadOwner ?? (await activeOwnerOrNull(trx, contact.owner_id)) ?? (await activeOwnerOrNull(trx, companyOwner));
    const { rows } = await trx.raw<{ rows: OpportunityRow[] }>(
      `insert into opportunities (contact_id, company_id, channel, source_detail, owner_id, import_id)
       values (?, ?, ?, ?, ?, ?)
       on conflict (contact_id) where status = 'open' do nothing
       returning *`,
      [contact.id, companyId, clean.channel, clean.sourceDetail, ownerId, clean.importId],
    );
    if (!rows[0]) {
      // Another transaction opened one for this contact between our read and our insert.
      return present((await trx('opportunities').where({ contact_id: contact.id, status: 'open' }).first()) as OpportunityRow, false);
    }
    if (ownerId) await assign(trx, 'opportunity', rows[0].id, ownerId, clean.actor);
    return present(rows[0], true);
  });
}

/** The lead funnel: one per opportunity, keyed by its id (the accounts API hands it over at signup). */
export const FUNNEL_DEFINITION = 'digital-opportunity';

/** The funnel's start variables (definitions/digital-opportunity.yaml): only the fields the lead has. */
export function funnelVariables(opportunityId: string, lead: CleanLead): Record<string, unknown> {
  const compact = (o: Record<string, string | null>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));
  return {
    opportunityId,
    contact: compact({ email: lead.email, name: lead.name, phone: lead.phone, rut: lead.rut }),
    ...(lead.company ? { company: compact({ name: lead.company.name, rut: lead.company.rut }) } : {}),
    channel: lead.channel,
    ...(lead.sourceDetail ? { sourceDetail: lead.sourceDetail } : {}),
  };
}
