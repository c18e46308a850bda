/**
 * The e-mail templates of the repository (definitions/templates/) and their loader and renderer:
 * every template has both languages and the same variables in each, Mustache's HTML escaping applies
 * to the HTML part only, and a broken template is refused naming its file and line.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { outboxMessageId } from '../../../activities/mail-transport';
import { BILLING_MAIL_DATA, BILLING_MAIL_EXTRA, BILLING_TEMPLATES } from '../../../domain/billing';
import { loadTemplateCatalog, pickTemplate, renderTemplate, templateCatalog, LANGUAGES } from '../../../lib/mail/templates';

const catalog = templateCatalog();
const roots = (name: string, language: string) =>
  [...new Set(catalog.versions(name).find((t) => t.language === language)!.variables.map((v) => v.name.split('.')[0]))].sort();

test.each(catalog.names())('%s exists in every language, printing the same variables', (name) => {
  expect(catalog.versions(name).map((t) => t.language)).toEqual([...LANGUAGES]);
  expect(roots(name, 'en')).toEqual(roots(name, 'es'));
});

test.each([...BILLING_TEMPLATES])('the billing workflow\'s %s exists and prints only the data it is sent', (name) => {
  // The billing workflow is code, so deploy never checks its e-mails; this does.
  const sent: readonly string[] = [...BILLING_MAIL_DATA, ...(BILLING_MAIL_EXTRA[name] ?? [])];
  for (const language of LANGUAGES) expect(roots(name, language).filter((v) => !sent.includes(v))).toEqual([]);
});

test('Spanish is the default: an unknown language falls back to it', () => {
  expect(pickTemplate(catalog, 'trial-reminder', 'fr')?.language).toBe('es');
  expect(pickTemplate(catalog, 'trial-reminder', 'en')?.language).toBe('en');
  expect(pickTemplate(catalog, 'no-such-template')).toBeUndefined();
});

test('renders subject and text as plain text and escapes the HTML part', () => {
  const mail = renderTemplate(pickTemplate(catalog, 'trial-reminder')!, { accountName: 'Pan & <Vino>', daysLeft: 1, expiresAt: '2026-12-31', planCode: 'trial-pyme' });
  expect(mail.subject).toBe('Tu prueba de Pan & <Vino> termina en 1 días');
  expect(mail.text).toContain('A la prueba de Pan & <Vino> (plan trial-pyme) le quedan 1 días: termina el 2026-12-31.');
  expect(mail.html).toContain('<strong>Pan &amp; &lt;Vino&gt;</strong>');
});

test('variables carry their file, line and column; names inside a {{#list}} are the items\' own', () => {
  const template = pickTemplate(catalog, 'work-order-to-production')!;
  expect(template.variables.map((v) => v.name)).toEqual(['workOrder', 'clientName', 'workOrder', 'contractNumber', 'clientName', 'documents']);
  expect(template.variables.at(-1)).toMatchObject({ file: 'definitions/templates/es/work-order-to-production.text', line: 4, column: 1 });
});

describe('a broken template folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cauce-templates-'));
    mkdirSync(path.join(dir, 'es'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, text: string) => writeFileSync(path.join(dir, 'es', file), text);

  test('a partial is refused at its line', () => {
    write('x.subject', 'Hola');
    write('x.text', 'uno\ndos {{> pie}}\n');
    expect(() => loadTemplateCatalog(dir)).toThrow(/es\/x\.text:2: partials \(\{\{> pie\}\}\) are not supported/);
  });

  test('an unclosed section is refused naming the file', () => {
    write('x.subject', 'Hola');
    write('x.text', '{{#items}}\n- {{name}}\n');
    expect(() => loadTemplateCatalog(dir)).toThrow(/es\/x\.text: Unclosed section "items"/);
  });

  test('a template without its text is refused', () => {
    write('x.subject', 'Hola');
    expect(() => loadTemplateCatalog(dir)).toThrow(/es\/x\.text: missing \(every template has a \.subject and a \.text\)/);
  });
});

test('the Message-ID depends on the outbox row alone', () => {
  const id = '8b891db8-f2bd-4eb3-b94b-c88b93d08d20';
  expect(outboxMessageId(id, 'Cauce <no-reply@cauce.example>')).toBe(`<outbox.${id}@cauce.example>`);
  expect(outboxMessageId(id, 'no-reply@ventas.example.cl')).toBe(`<outbox.${id}@ventas.example.cl>`);
});
