/**
 * The lead intake's store (docs/DIGITAL-SALE.md): a contact (one per email), optionally its company
 * (one per RUT), and at most one open opportunity per contact. Every way a lead arrives — landing form,
 * partner, assisted deal, CRM CSV import, self-service signup — goes through `ensureLead`. The rules
 * (what a valid lead is, who owns it, what a later lead may add) are domain/leads; this module owns the
 * SQL of `contacts` and `companies` and writes opportunities through lib/opportunities.ts. The API
 * (one lead, signup) and the import job's activities (activities/imports.ts) both call it.
 */
import type { Knex } from 'knex';
import { checkLead, contactGains, InvalidLead, namedOwnerProblem, newOpportunityOwner, type CleanLead, type ContactFacts, type LeadInput } from '../domain/leads';
import { assignmentStore, opportunityStore, ownerStore, type OpportunityRow } from './opportunities';

export { checkLead, InvalidLead, type CleanLead, type LeadInput, type LeadProblem } from '../domain/leads';

export interface EnsuredOpportunity {
  opportunityId: string;
  contactId: string;
  companyId: string | null;
  ownerId: string | null;
  /** false: the contact already had an open opportunity, which is returned unchanged. */
  created: boolean;
}

interface CompanyRow { id: string; owner_id: string | null }
interface ContactRow { id: string; company_id: string | null; owner_id: string | null; phone: string | null; rut: string | null }

async function namedOwner(trx: Knex.Transaction, id: string): Promise<string> {
  const problem = namedOwnerProblem(id, (await ownerStore.states(trx, [id])).get(id) ?? null);
  if (problem) throw new InvalidLead([problem]);
  return id;
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

const facts = (c: ContactRow): ContactFacts => ({ phone: c.phone, rut: c.rut, companyId: c.company_id, ownerId: c.owner_id });

/** The contact by email, created when new (its channel is the first one it came through); an existing one gains what it lacks. */
async function findOrCreateContact(trx: Knex.Transaction, lead: CleanLead, companyId: string | null, ownerId: string | null): Promise<ContactRow> {
  const columns = ['id', 'company_id', 'owner_id', 'phone', 'rut'];
  const [created] = (await trx('contacts')
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
    .returning(columns)) as ContactRow[];
  if (created) {
    if (ownerId) await assignmentStore.record(trx, { entity: 'contact', entityId: created.id, ownerId, assignedBy: lead.actor });
    return created;
  }
  const contact = (await trx('contacts').where({ email: lead.email }).forUpdate().first(columns)) as ContactRow;
  const gains = contactGains(facts(contact), { phone: lead.phone, rut: lead.rut, companyId, ownerId });
  if (Object.keys(gains).length === 0) return contact;
  const fill = {
    ...(gains.phone ? { phone: gains.phone } : {}),
    ...(gains.rut ? { rut: gains.rut } : {}),
    ...(gains.companyId ? { company_id: gains.companyId } : {}),
    ...(gains.ownerId ? { owner_id: gains.ownerId } : {}),
  };
  await trx('contacts').where({ id: contact.id }).update(fill);
  if (gains.ownerId) await assignmentStore.record(trx, { entity: 'contact', entityId: contact.id, ownerId: gains.ownerId, assignedBy: lead.actor });
  return { ...contact, ...fill };
}

function present(o: OpportunityRow, created: boolean): EnsuredOpportunity {
  return { opportunityId: o.id, contactId: o.contact_id, companyId: o.company_id, ownerId: o.owner_id, created };
}

/**
 * The contact's open opportunity, or a new one, with the lead as stored (checked and normalised once).
 * In one transaction: the company (by RUT, else by name) and the contact (by email) are found or
 * created; the owner is chosen by domain/leads' `newOpportunityOwner`.
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
    const named = clean.ownerId ? await namedOwner(trx, clean.ownerId) : null;
    const company = clean.company ? await findOrCreateCompany(trx, clean.company) : null;
    const contact = await findOrCreateContact(trx, clean, company?.id ?? null, named);
    const open = await opportunityStore.openOf(trx, contact.id);
    if (open) return present(open, false);

    const companyId = company?.id ?? contact.company_id;
    const companyOwner = companyId ? ((await trx('companies').where({ id: companyId }).first('owner_id')) as CompanyRow).owner_id : null;
    const owners = await ownerStore.states(trx, [contact.owner_id, companyOwner]);
    const ownerId = newOpportunityOwner({
      named,
      contact: contact.owner_id ? owners.get(contact.owner_id) ?? null : null,
      company: companyOwner ? owners.get(companyOwner) ?? null : null,
    });
    const opened = await opportunityStore.insertOpen(trx, {
      contactId: contact.id, companyId, channel: clean.channel, sourceDetail: clean.sourceDetail, ownerId, importId: clean.importId,
    });
    // Another transaction opened one for this contact between our read and our insert.
    if (!opened) return present((await opportunityStore.openOf(trx, contact.id))!, false);
    if (ownerId) await assignmentStore.record(trx, { entity: 'opportunity', entityId: opened.id, ownerId, assignedBy: clean.actor });
    return present(opened, true);
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
