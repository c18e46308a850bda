/** Seed 003's cases of who registers, from the person's live record and what they register as. */
import { personKey, registrationCase, type PersonKind, type PersonStatus, type RegisterAs } from '../../../domain/consultants';

test.each<[string, { kind: PersonKind; status: PersonStatus } | null, RegisterAs, string]>([
  ['nobody yet, as a consultant', null, 'consultant', 'new-consultant'],
  ['nobody yet, as a customer', null, 'customer', 'new-customer'],
  ['only a rejected registration', { kind: 'consultant', status: 'rejected' }, 'consultant', 'new-consultant'],
  ['a customer registering as a consultant', { kind: 'customer', status: 'active' }, 'consultant', 'customer-to-consultant'],
  ['a customer registering as a customer', { kind: 'customer', status: 'active' }, 'customer', 'already-registered'],
  ['an active consultant going back to customer', { kind: 'consultant', status: 'active' }, 'customer', 'consultant-to-customer'],
  ['an inactive consultant going back to customer', { kind: 'consultant', status: 'inactive' }, 'customer', 'consultant-to-customer'],
  ['an inactive consultant returning', { kind: 'consultant', status: 'inactive' }, 'consultant', 'returning-consultant'],
  ['an active consultant registering again', { kind: 'consultant', status: 'active' }, 'consultant', 'already-registered'],
  ['a registration pending (consultant)', { kind: 'consultant', status: 'pre-registered' }, 'consultant', 'already-registered'],
  ['a registration pending, as a customer', { kind: 'consultant', status: 'pre-registered' }, 'customer', 'already-registered'],
])('%s: %s', (_, existing, registerAs, expected) => {
  expect(registrationCase(existing, registerAs)).toBe(expected);
});

test("a person's key is their country, document type and number without dots or spaces", () => {
  expect(personKey({ country: 'co', documentType: 'CC', documentNumber: '1.020.304 050' })).toBe('CO-CC-1020304050');
});
