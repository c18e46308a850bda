import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assertValidDefinitionSource,
  DefinitionValidationError,
  formatDefinitionError,
  validateDefinitionSource,
  validatePath,
} from '../../../lib/definitions';
import { roleIds } from '../../../lib/definitions/roles';

const catalog = { activities: ['notifications.send'], roles: roleIds() };

const definition = (id: string, steps: string) =>
  `id: ${id}\nname: ${id}\nroles: [consultant]\nvariables: { type: object, examples: [{}] }\nstart: first\nsteps:\n${steps}`;

const notifyThenEnd = '  first: { type: activity, activity: notifications.send, next: done }\n  done: { type: end }\n';

test('returns the definition only when there are no errors', () => {
  const ok = validateDefinitionSource(definition('ok', notifyThenEnd), 'ok.yaml', catalog);
  expect(ok.errors).toEqual([]);
  expect(ok.definition?.steps.first).toEqual({ type: 'activity', activity: 'notifications.send', next: 'done' });
});

test('reports every semantic problem, sorted by position', () => {
  const steps = [
    '  first: { type: activity, activity: nope.nothing, next: second }',
    '  second: { type: userTask, title: "=1 +", roles: [consultant], dueIn: soon, outcomes: { ok: { next: gone } } }',
    '  done: { type: end }',
    '',
  ].join('\n');
  const { definition: d, errors } = validateDefinitionSource(definition('many', steps), 'many.yaml', catalog);
  expect(d).toBeUndefined();
  expect(errors.map((e) => `${e.line}:${e.column} ${e.path}`)).toEqual([
    '7:38 /steps/first/activity',
    '8:36 /steps/second/title',
    '8:72 /steps/second/dueIn',
    '8:102 /steps/second/outcomes/ok/next',
  ]);
});

test('assertValidDefinitionSource throws DefinitionValidationError carrying the located errors', () => {
  const source = definition('bad', '  first: { type: end }\n  orphan: { type: end }\n');
  try {
    assertValidDefinitionSource(source, 'bad.yaml', catalog);
    throw new Error('expected a DefinitionValidationError');
  } catch (err) {
    expect(err).toBeInstanceOf(DefinitionValidationError);
    const { errors, message } = err as DefinitionValidationError;
    expect(errors).toHaveLength(1);
    expect(formatDefinitionError(errors[0])).toBe("bad.yaml:8:3: step 'orphan' is unreachable from 'start' (at /steps/orphan)");
    expect(message).toContain("bad.yaml:8:3: step 'orphan' is unreachable");
  }
});

test('onCancel is an entry point for reachability', () => {
  const source = definition('cancel', notifyThenEnd + '  cleanup: { type: end, outcome: cancelled }\n').replace('start: first', 'start: first\nonCancel: cleanup');
  expect(validateDefinitionSource(source, 'cancel.yaml', catalog).errors).toEqual([]);
});

test('a role declared in the definition but missing from the catalog is reported once, at its declaration', () => {
  const source = definition('roles', '  first: { type: userTask, title: t, roles: [ghost], outcomes: { ok: { next: done } } }\n  done: { type: end }\n').replace(
    'roles: [consultant]',
    'roles: [ghost]',
  );
  const { errors } = validateDefinitionSource(source, 'roles.yaml', catalog);
  expect(errors.map((e) => [e.path, e.message])).toEqual([['/roles/0', "unknown role 'ghost' (not in definitions/roles.yaml)"]]);
});

describe('validatePath on a folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cauce-defs-'));
  mkdirSync(join(dir, 'schema'));
  mkdirSync(join(dir, 'sales'));
  writeFileSync(join(dir, 'schema', 'ignored.yaml'), 'not: a definition\n');
  writeFileSync(join(dir, 'roles.yaml'), 'roles: []\n');
  writeFileSync(join(dir, 'parent.yaml'), definition('parent', '  first: { type: subProcess, definition: child, next: done }\n  done: { type: end }\n'));
  writeFileSync(join(dir, 'sales', 'child.yml'), definition('child', notifyThenEnd));
  writeFileSync(join(dir, 'sales', 'copy.yaml'), definition('child', notifyThenEnd));
  writeFileSync(join(dir, 'orphan-call.yaml'), definition('orphan-call', '  first: { type: subProcess, definition: stranger, next: done }\n  done: { type: end }\n'));

  test('validates .yaml/.yml recursively, skipping schema/ and roles.yaml; ids in the folder are subProcess targets', async () => {
    const results = await validatePath(dir, catalog);
    const byFile = Object.fromEntries(results.map((r) => [r.file.slice(dir.length + 1), r.errors.map((e) => `${e.line}:${e.column} ${e.message}`)]));
    expect(byFile).toEqual({
      'orphan-call.yaml': ["7:42 unknown definition 'stranger'"],
      'parent.yaml': [],
      'sales/child.yml': [],
      'sales/copy.yaml': [`1:5 definition id 'child' is already used by ${join(dir, 'sales', 'child.yml')}`],
    });
  });

  test('validates a single file', async () => {
    const results = await validatePath(join(dir, 'sales', 'child.yml'), catalog);
    expect(results).toEqual([{ file: join(dir, 'sales', 'child.yml'), errors: [] }]);
  });
});

test('business time: accepted in dueIn and timers on a known calendar, refused in activity timeouts and when misspelt', () => {
  const withCalendar = (calendar: string, steps: string) => definition('biz', steps).replace('start: first', `calendar: ${calendar}\nstart: first`);
  const calendars = { ...catalog, calendars: ['CO', 'CL', 'BO'] };
  const good = [
    '  first: { type: userTask, title: Call, roles: [consultant], dueIn: 2 business days, outcomes: { ok: { next: pause } } }',
    '  pause: { type: wait, timer: { after: 4 business hours, next: done } }',
    '  done: { type: end }',
    '',
  ].join('\n');
  expect(validateDefinitionSource(withCalendar('CO', good), 'biz.yaml', calendars).errors).toEqual([]);
  // An expression chooses the calendar per instance: its value is checked at run time.
  expect(validateDefinitionSource(withCalendar('"=country"', good), 'biz.yaml', calendars).errors).toEqual([]);

  const bad = [
    '  first: { type: activity, activity: notifications.send, timeout: 1 business day, next: ask }',
    '  ask: { type: userTask, title: Call, roles: [consultant], dueIn: 2 business weeks, outcomes: { ok: { next: done } } }',
    '  done: { type: end }',
    '',
  ].join('\n');
  const { errors } = validateDefinitionSource(withCalendar('CO', bad), 'biz.yaml', calendars);
  expect(errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
    '/steps/first/timeout: "1 business day" is working time: only dueIn and timers may count business time (Temporal counts timeouts and retries in calendar time)',
    '/steps/ask/dueIn: invalid business duration "2 business weeks": expected e.g. 2 business days, 1 business day or 4 business hours',
  ]);
});
