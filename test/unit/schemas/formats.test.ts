/** The domain formats as JSON-Schema formats (workflows/formats.ts), and deploy refusing examples that break them. */
import { validateDefinitionSource } from '../../../lib/definitions/validate';
import { validateFormData } from '../../../workflows/forms';
import { DOMAIN_FORMATS, wordCount } from '../../../workflows/formats';

test('the schema formats are the domain rules (domain/identity)', () => {
  expect(DOMAIN_FORMATS.rut('76.086.428-5')).toBe(true);
  expect(DOMAIN_FORMATS.rut('76.086.428-4')).toBe(false);
  expect(DOMAIN_FORMATS.nit('900.123.456-8')).toBe(true);
  expect(DOMAIN_FORMATS.nit('900.123.456-7')).toBe(false);
  expect(DOMAIN_FORMATS.email('contacto@panaderialaespiga.cl')).toBe(true);
  expect(DOMAIN_FORMATS.email('contacto@panaderialaespiga')).toBe(false);
});

test('a product description holds at most 20 words, counted across any run of spaces, tabs or line breaks', () => {
  const words = (n: number) => Array.from({ length: n }, (_, i) => `palabra${i}`).join(' ');
  expect(wordCount('  Pan   de\tmasa\nmadre, horneado hoy  ')).toBe(6);
  expect(wordCount('')).toBe(0);
  expect(DOMAIN_FORMATS['max-20-words'](words(20))).toBe(true);
  expect(DOMAIN_FORMATS['max-20-words'](words(21))).toBe(false);
  // The workflow's form check says what is wrong in words, not as a pattern.
  const form = { type: 'object', properties: { description: { type: 'string', format: 'max-20-words' } } };
  expect(validateFormData(form, { description: words(21) })).toEqual([
    { path: '/description', message: expect.stringContaining('at most 20 words') },
  ]);
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
