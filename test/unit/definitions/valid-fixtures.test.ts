import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateDefinitionSource, validatePath } from '../../../lib/definitions';
import { roleIds } from '../../../lib/definitions/roles';
import type { Step, StepType } from '../../../workflows/model';

const DIR = join(__dirname, '..', '..', 'fixtures', 'valid');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
const STEP_TYPES: StepType[] = ['activity', 'userTask', 'wait', 'choice', 'parallel', 'subProcess', 'setStage', 'send', 'end'];

// A fixed activity list, so these fixtures do not move when lib/definitions/activity-catalog.ts grows.
const catalog = {
  activities: ['accounts.createTrial', 'notifications.send', 'contracts.requestNumber', 'workOrders.create', 'workOrders.close', 'invoices.issue'],
  roles: roleIds(),
};

function stepTypes(steps: Record<string, Step>): StepType[] {
  return Object.values(steps).flatMap((s) => [s.type, ...(s.type === 'parallel' ? s.branches.flatMap((b) => stepTypes(b.steps)) : [])]);
}

test('the folder validates without errors; subProcess targets resolve to ids in the folder', async () => {
  const results = await validatePath(DIR, catalog);
  expect(results.map((r) => r.file)).toEqual(FILES.map((f) => join(DIR, f)));
  expect(results.filter((r) => r.errors.length)).toEqual([]);
});

test('the folder validates against the real catalogs (lib/definitions/activity-catalog.ts, definitions/roles.yaml)', async () => {
  const results = await validatePath(DIR);
  expect(results.filter((r) => r.errors.length)).toEqual([]);
});

test('together the valid fixtures use every step type', () => {
  const used = new Set<StepType>();
  for (const file of FILES) {
    const { definition, errors } = validateDefinitionSource(readFileSync(join(DIR, file), 'utf8'), file, {
      ...catalog,
      definitions: ['invoice-customer'],
    });
    expect(errors).toEqual([]);
    stepTypes(definition!.steps).forEach((t) => used.add(t));
  }
  expect([...used].sort()).toEqual([...STEP_TYPES].sort());
});
