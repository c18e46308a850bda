/**
 * The lead rules (lib/leads.ts) as the API answers them: a lead that cannot be brought in is a 422
 * `invalid_lead` naming every offending field.
 */
import type { Knex } from 'knex';
import * as leads from '../../lib/leads';
import { invalidFields } from '../errors';

export { checkLead, funnelVariables, FUNNEL_DEFINITION, type CleanLead, type EnsuredOpportunity, type LeadInput, type LeadProblem } from '../../lib/leads';

async function answering<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    // Each message already starts with its field.
    if (err instanceof leads.InvalidLead) throw invalidFields('invalid_lead', 'body', err.problems, err.message);
    throw err;
  }
}

export const ensureLead = (db: Knex, lead: leads.LeadInput) => answering(leads.ensureLead(db, lead));
export const ensureOpportunity = (db: Knex, lead: leads.LeadInput) => answering(leads.ensureOpportunity(db, lead));
