/** RUT, NIT, email and tax-id keys (domain/identity): the rules every layer identifies a client by. */
import { isEmail, nitCheckDigit, normalizeNit, normalizeRut, rutCheckDigit, taxIdKey } from '../../../domain/identity';

describe('RUT', () => {
  test('modulo-11 check digit, K for 10, 0 for 11', () => {
    expect(rutCheckDigit('76086428')).toBe('5');
    expect(rutCheckDigit('12345678')).toBe('5');
    expect(rutCheckDigit('10000013')).toBe('K');
    expect(rutCheckDigit('11111111')).toBe('1');
  });

  test('dots and dash optional, lower-case k accepted, always stored as body-digit', () => {
    expect(normalizeRut('76.086.428-5')).toBe('76086428-5');
    expect(normalizeRut('760864285')).toBe('76086428-5');
    expect(normalizeRut(' 76 086 428-5 ')).toBe('76086428-5');
    expect(normalizeRut('10.000.013-k')).toBe('10000013-K');
    expect(normalizeRut('7.654.321-6')).toBe('7654321-6');
  });

  test('a wrong check digit, a missing one, a short or long body, letters and huge input are refused', () => {
    expect(normalizeRut('76.086.428-4')).toBeNull();
    expect(normalizeRut('10.000.013-0')).toBeNull();
    expect(normalizeRut('76.086.428')).toBeNull();
    expect(normalizeRut('123.456-7')).toBeNull();
    expect(normalizeRut('123.456.789-0')).toBeNull();
    expect(normalizeRut('76.O86.428-5')).toBeNull();
    expect(normalizeRut('')).toBeNull();
    expect(normalizeRut('1'.repeat(50))).toBeNull();
  });
});

describe('NIT', () => {
  test("DIAN's weights; a remainder of 0 or 1 is the check digit itself", () => {
    expect(nitCheckDigit('900123456')).toBe('8');
    expect(nitCheckDigit('860034313')).toBe('7');
    expect(nitCheckDigit('100000')).toBe('1');
  });

  test('normalised with or without dots and dash; a wrong check digit or a short base is refused', () => {
    expect(normalizeNit('900.123.456-8')).toBe('900123456-8');
    expect(normalizeNit('9001234568')).toBe('900123456-8');
    expect(normalizeNit('860.034.313-7')).toBe('860034313-7');
    expect(normalizeNit('900.123.456-7')).toBeNull();
    expect(normalizeNit('12345')).toBeNull();
    expect(normalizeNit('900.123.456-K')).toBeNull();
    expect(normalizeNit('9'.repeat(30))).toBeNull();
  });
});

test('email: the loose rule the activities apply, in linear time', () => {
  expect(isEmail('contacto@panaderialaespiga.cl')).toBe(true);
  expect(isEmail('a@b.co')).toBe(true);
  for (const bad of ['', 'no-at.cl', '@b.cl', 'a@b', 'a@.cl', 'a@b.', 'a b@c.cl', 'a@b@c.cl', `${'a'.repeat(320)}@b.cl`]) expect(isEmail(bad)).toBe(false);
  expect(isEmail('a@' + '.'.repeat(100_000))).toBe(false);
});

test('tax-id keys: a RUT however typed is one key; another id keeps its digits, without dots or spaces', () => {
  expect(taxIdKey('76.086.428-5')).toBe('76086428-5');
  expect(taxIdKey('760864285')).toBe('76086428-5');
  // Not a valid RUT (wrong check digit, or a NIT): compared as typed, minus dots and spaces.
  expect(taxIdKey('76.086.428-4')).toBe('76086428-4');
  expect(taxIdKey('900.123.456-8')).toBe('900123456-8');
  expect(taxIdKey('ab 12.3')).toBe('AB123');
});
