/**
 * What a lead is and when it can be brought in (docs/DIGITAL-SALE.md): every way a lead arrives —
 * landing form, partner, assisted deal, CRM CSV import, self-service signup — is checked here, without
 * a database, so the API (422 `invalid_lead`), the CSV upload (the row's reasons) and the import job
 * judge a lead by one rule. The store (lib/leads.ts) writes what `checkLead` cleaned.
 */
import { FIELD_PROBLEM, fieldMessage, isUuid, nonBlank, notAnEmail, notOneOf } from '../fields';
import { SALES_CHANNELS, isSalesChannel } from '../channels';
import { isEmail, normalizeRut } from '../identity';

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

function problem(problems: LeadProblem[], field: string, text: string): null {
  problems.push({ field, message: fieldMessage(field, text) });
  return null;
}

function requiredText(problems: LeadProblem[], field: string, value: unknown): string | null {
  return nonBlank(value) ?? problem(problems, field, FIELD_PROBLEM.required);
}

function rutOf(problems: LeadProblem[], field: string, value: unknown): string | null {
  const raw = nonBlank(value);
  if (raw === null) return null;
  return normalizeRut(raw) ?? problem(problems, field, `is not a valid Chilean RUT (format or check digit; got ${JSON.stringify(raw)})`);
}

function emailOf(problems: LeadProblem[], value: unknown): string | null {
  const text = requiredText(problems, 'email', value);
  if (text === null) return null;
  const email = text.toLowerCase();
  return isEmail(email) ? email : problem(problems, 'email', notAnEmail(email));
}

/** Checks a lead without touching the database: the clean lead, or null and every problem found. */
export function checkLead(lead: LeadInput): { clean: CleanLead | null; problems: LeadProblem[] } {
  const problems: LeadProblem[] = [];
  const email = emailOf(problems, lead.email);
  const name = requiredText(problems, 'name', lead.name);
  const rut = rutOf(problems, 'rut', lead.rut);
  let company: CleanLead['company'] = null;
  if (lead.company) {
    const companyName = nonBlank(lead.company.name);
    if (!companyName) problem(problems, 'company.name', 'is required when a company is given');
    const companyRut = rutOf(problems, 'company.rut', lead.company.rut);
    if (companyName) company = { name: companyName, rut: companyRut };
  }
  if (!isSalesChannel(lead.channel)) problem(problems, 'channel', notOneOf(SALES_CHANNELS, lead.channel));
  const givenOwner = nonBlank(lead.ownerId);
  const ownerId = givenOwner === null ? null : isUuid(givenOwner) ? givenOwner.toLowerCase() : problem(problems, 'ownerId', FIELD_PROBLEM.uuid);
  if (problems.length || !email || !name) return { clean: null, problems };
  return {
    clean: {
      email,
      name,
      phone: nonBlank(lead.phone),
      rut,
      company,
      channel: lead.channel,
      sourceDetail: nonBlank(lead.sourceDetail),
      campaign: nonBlank(lead.campaign),
      partner: nonBlank(lead.partner),
      ownerId,
      importId: nonBlank(lead.importId),
      actor: lead.actor,
    },
    problems,
  };
}
