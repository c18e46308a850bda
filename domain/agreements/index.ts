/**
 * Seed 003's agreements ("contratos"): legal texts per country, for everyone or one rank, versioned by
 * code. An acceptance covers its own version only, so a new version is pending again for everyone,
 * including those who accepted the one before. Pure: the API and the activities both use it.
 */

/** Where an agreement is shown to be accepted. */
export const AGREEMENT_PAGES = ['registration', 'profile', 'login'] as const;
export type AgreementPage = (typeof AGREEMENT_PAGES)[number];

export interface AgreementTerms {
  id: string;
  code: string;
  version: number;
  country: string;
  /** Only consultants of this rank; null: everyone in the country. */
  rank: string | null;
  active: boolean;
}

/** Whether the agreement applies to this person at all: the country's, for everyone or their rank. */
export const appliesTo = (a: AgreementTerms, person: { country: string; rank: string | null }): boolean =>
  a.country === person.country.toUpperCase() && (a.rank === null || a.rank === person.rank);

/** The active agreements that apply to the person and whose version they have not accepted, by code. */
export function pendingAgreements<A extends AgreementTerms>(agreements: readonly A[], person: { country: string; rank: string | null }, acceptedIds: ReadonlySet<string>): A[] {
  return agreements.filter((a) => a.active && appliesTo(a, person) && !acceptedIds.has(a.id)).sort((x, y) => x.code.localeCompare(y.code));
}
