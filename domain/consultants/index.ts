/**
 * Seed 003's sales force: who a registration is for, decided from the person's live record. One person
 * (country, document type and number) has one live record, a consultant or a customer; a registration
 * either creates it or moves it on. Pure: the enrollment's activity and the API both use it.
 */

export const CONSULTANT_ENROLLMENT = 'consultant-enrollment';

/** The start kit paid, heard by the person's enrollment (definitions/consultant-enrollment.yaml declares it). */
export const KIT_PAID = 'consultant.kitPaid';
/** A credit request for the kit, which opens the credit-limit ticket. */
export const CREDIT_REQUESTED = 'consultant.creditRequested';

export const REGISTER_AS = ['consultant', 'customer'] as const;
export type RegisterAs = (typeof REGISTER_AS)[number];

export const PERSON_KINDS = REGISTER_AS;
export type PersonKind = RegisterAs;
export type PersonStatus = 'pre-registered' | 'active' | 'inactive' | 'rejected';

/**
 * The five cases of the seed, and the one that changes nothing:
 *   new-consultant, new-customer      nobody with that document yet (or only rejected registrations);
 *   customer-to-consultant            a customer registers as a consultant: the enrollment runs for them;
 *   consultant-to-customer            a consultant, active or inactive, goes back to being a customer;
 *   returning-consultant              an inactive consultant registers again: the enrollment runs again;
 *   already-registered                an active consultant registering as one, a customer as a customer,
 *                                     or anyone whose registration is pending (pre-registered).
 */
export const REGISTRATION_CASES = ['new-consultant', 'new-customer', 'customer-to-consultant', 'consultant-to-customer', 'returning-consultant', 'already-registered'] as const;
export type RegistrationCase = (typeof REGISTRATION_CASES)[number];

export function registrationCase(existing: { kind: PersonKind; status: PersonStatus } | null, registerAs: RegisterAs): RegistrationCase {
  if (!existing || existing.status === 'rejected') return registerAs === 'consultant' ? 'new-consultant' : 'new-customer';
  if (existing.status === 'pre-registered') return 'already-registered';
  if (existing.kind === 'customer') return registerAs === 'consultant' ? 'customer-to-consultant' : 'already-registered';
  if (registerAs === 'customer') return 'consultant-to-customer';
  return existing.status === 'inactive' ? 'returning-consultant' : 'already-registered';
}

/** A document number as the company stores it: no dots or spaces (1.020.304.050 is 1020304050). */
export const normalizeDocumentNumber = (n: string): string => n.replace(/[.\s]/g, '');

/**
 * The business key of a person's enrollment: at most one registration of a person runs at a time (a
 * second one while it runs is refused by Temporal as a duplicate key).
 */
export function personKey(p: { country: string; documentType: string; documentNumber: string }): string {
  return `${p.country.toUpperCase()}-${p.documentType}-${normalizeDocumentNumber(p.documentNumber)}`;
}

export const STATUS_CHANGES = ['inactivate', 'reactivate'] as const;
export type StatusChange = (typeof STATUS_CHANGES)[number];

/** Why the change cannot be made to this person as they are, or null when it can. */
export function statusChangeProblem(person: { kind: PersonKind; status: PersonStatus }, change: StatusChange): string | null {
  if (person.kind !== 'consultant') return 'is a customer, not a consultant';
  if (change === 'inactivate') return person.status === 'active' ? null : `is ${person.status}: only an active consultant is inactivated`;
  return person.status === 'inactive' ? null : `is ${person.status}: only an inactive consultant is reactivated`;
}

/** A leader acts on their own network only: the consultants they sponsor. */
export const inNetworkOf = (leaderId: string | null, person: { sponsor_id: string | null }): boolean => leaderId !== null && person.sponsor_id === leaderId;
