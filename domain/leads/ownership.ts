/**
 * Who works a lead, and what a later lead may add to a contact the CRM already has. Pure: the store
 * (lib/leads.ts) reads the rows, these rules decide, the store writes the decision.
 */
import type { LeadProblem } from './lead';

export interface OwnerState {
  id: string;
  active: boolean;
}

/** The owner a lead names must exist and be active; anything else is a problem with `ownerId`. */
export function namedOwnerProblem(id: string, owner: OwnerState | null): LeadProblem | null {
  if (!owner) return { field: 'ownerId', message: `ownerId: no owner ${id}` };
  if (!owner.active) return { field: 'ownerId', message: `ownerId: owner ${id} is inactive` };
  return null;
}

/**
 * The owner of a new opportunity: the lead's, else the contact's, else the company's, else none (the
 * digital-opportunity process then assigns one round-robin). An inherited owner counts only while
 * active: an owner who left gets no new leads.
 */
export function newOpportunityOwner(o: { named: string | null; contact: OwnerState | null; company: OwnerState | null }): string | null {
  if (o.named) return o.named;
  if (o.contact?.active) return o.contact.id;
  if (o.company?.active) return o.company.id;
  return null;
}

export interface ContactFacts {
  phone: string | null;
  rut: string | null;
  companyId: string | null;
  ownerId: string | null;
}

/**
 * What an existing contact gains from a later lead: only what it lacks (phone, RUT, company, owner).
 * A lead never overwrites what the CRM already knows.
 */
export function contactGains(contact: ContactFacts, offered: ContactFacts): Partial<ContactFacts> {
  const gains: Partial<ContactFacts> = {};
  for (const key of ['phone', 'rut', 'companyId', 'ownerId'] as const) {
    if (!contact[key] && offered[key]) gains[key] = offered[key];
  }
  return gains;
}

/**
 * The next owner in turn: the one after `lastPicked` in `owners` (a fixed order, e.g. by email),
 * wrapping around; the first when the last pick is unknown or gone; none when there is nobody.
 */
export function nextInTurn<T extends { id: string }>(owners: readonly T[], lastPicked: string | null): T | undefined {
  const after = lastPicked ? owners.findIndex((o) => o.id === lastPicked) : -1;
  return owners[(after + 1) % owners.length];
}
