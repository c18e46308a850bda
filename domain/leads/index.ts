/** Leads (seed 000): checking a lead, and who owns what it opens. */
export { checkLead, InvalidLead, type CleanLead, type LeadInput, type LeadProblem } from './lead';
export { contactGains, namedOwnerProblem, newOpportunityOwner, nextInTurn, type ContactFacts, type OwnerState } from './ownership';
