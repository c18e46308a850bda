/**
 * The corpus of broken definitions: each file holds one problem and states, on its first line,
 * where it must be reported: `# expect: <line>:<column> <substring of the message>`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDefinitionError, validateDefinitionSource } from '../../../lib/definitions';
import { calendarIds } from '../../../lib/definitions/calendars';
import { roleIds } from '../../../lib/definitions/roles';
import { templateCatalog } from '../../../lib/mail/templates';

const DIR = join(__dirname, '..', '..', 'fixtures', 'broken');

// A fixed activity list, so this corpus does not move when lib/definitions/activity-catalog.ts grows.
const catalog = {
  activities: ['accounts.createTrial', 'notifications.send'],
  roles: roleIds(),
  definitions: ['consultant-enrollment'],
  calendars: calendarIds(),
  // The repository's e-mail templates (definitions/templates/): a step must give every variable its template prints.
  templates: templateCatalog(),
};

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((file) => {
    const source = readFileSync(join(DIR, file), 'utf8');
    const match = /^# expect: (\d+):(\d+) (.+)$/.exec(source.split('\n')[0]);
    if (!match) throw new Error(`${file}: first line must be '# expect: <line>:<column> <message substring>'`);
    return { file, source, line: Number(match[1]), column: Number(match[2]), message: match[3] };
  });

test('the corpus covers at least 15 problems', () => {
  expect(cases.length).toBeGreaterThanOrEqual(15);
});

test.each(cases)('$file → $line:$column $message', ({ file, source, line, column, message }) => {
  const { definition, errors } = validateDefinitionSource(source, file, catalog);
  expect(definition).toBeUndefined();
  // One problem per file must give one error: a root cause, not a cascade of echoes.
  expect(errors.map(formatDefinitionError)).toHaveLength(1);
  const [error] = errors;
  expect({ line: error.line, column: error.column }).toEqual({ line, column });
  expect(error.message).toContain(message);
  expect(error.file).toBe(file);
  expect(formatDefinitionError(error)).toBe(`${file}:${line}:${column}: ${error.message}${error.path ? ` (at ${error.path})` : ''}`);
});
