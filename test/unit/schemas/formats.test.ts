/** The domain formats (workflows/formats.ts), and deploy refusing examples that break them. */
import { validateDefinitionSource } from '../../../lib/definitions/validate';
import { isEmail, normalizeNit, normalizeRut, nitCheckDigit, rutCheckDigit } from '../../../workflows/formats';

test('RUT: modulo-11 check digit, K for 10, dots and dash optional', () => {
  expect(rutCheckDigit('76086428')).toBe('5');
  expect(normalizeRut('76.086.428-5')).toBe('76086428-5');
  expect(normalizeRut('760864285')).toBe('76086428-5');
  expect(normalizeRut('10.000.013-k')).toBe('10000013-K');
  expect(normalizeRut('76.086.428-4')).toBeNull();
  expect(normalizeRut('76.086.428')).toBeNull();
  expect(normalizeRut('1'.repeat(50))).toBeNull();
});

test('NIT: DIAN weights, check digit 0 or 1 kept as the remainder', () => {
  expect(nitCheckDigit('900123456')).toBe('8');
  expect(normalizeNit('900.123.456-8')).toBe('900123456-8');
  expect(normalizeNit('9001234568')).toBe('900123456-8');
  expect(normalizeNit('900.123.456-7')).toBeNull();
  expect(normalizeNit('860.034.313-7')).toBe('860034313-7');
  // Remainder 1: the check digit is the remainder itself, not 11 - 1.
  expect(nitCheckDigit('100000')).toBe('1');
  expect(normalizeNit('12345')).toBeNull();
});

test('email: the loose rule the activities apply, in linear time', () => {
  expect(isEmail('contacto@panaderialaespiga.cl')).toBe(true);
  expect(isEmail('a@b.co')).toBe(true);
  for (const bad of ['', 'no-at.cl', '@b.cl', 'a@b', 'a@.cl', 'a@b.', 'a b@c.cl', 'a@b@c.cl']) expect(isEmail(bad)).toBe(false);
  expect(isEmail('a@' + '.'.repeat(100_000))).toBe(false);
});

test('deploy refuses an example whose RUT has a wrong check digit, at the example', () => {
  const source = [
    'id: rut-example',
    'name: RUT example',
    'roles: [sales]',
    'variables:',
    '  type: object',
    '  properties:',
    '    rut: { type: string, format: rut }',
    '  examples:',
    '    - { rut: 76.086.428-4 }',
    'start: done',
    'steps:',
    '  done: { type: end }',
  ].join('\n');
  const { errors } = validateDefinitionSource(source, 'rut-example.yaml', { activities: [], roles: ['sales'] });
  expect(errors).toEqual([
    expect.objectContaining({ line: 9, column: 14, path: '/variables/examples/0/rut', message: expect.stringMatching(/example 0 does not match the variables schema: \/rut must match format "rut"/) }),
  ]);
});
