/**
 * workflows/definition-types.ts is generated from definitions/schema/process.schema.json: a schema
 * change without a regenerated file would let the types and the schema say different things.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { callInThread } from '../../support/in-thread';
import type { Step } from '../../../workflows/model';

const ROOT = path.join(__dirname, '..', '..', '..');

test('the generated definition types match the schema (else: npx tsx scripts/generate-definition-types.ts)', async () => {
  // In a thread run by tsx: the generator formats with prettier, which loads ES modules jest's transform does not.
  const fresh = await callInThread<string>(path.join(ROOT, 'scripts', 'generate-definition-types.ts'), 'generateDefinitionTypes', []);
  expect(readFileSync(path.join(ROOT, 'workflows', 'definition-types.ts'), 'utf8')).toBe(fresh);
});

test('a step is the discriminated union of the step types the schema declares', () => {
  // Compile-time: each step type narrows by `type` (this would not type-check on a loose object).
  const stepType = (step: Step): string => (step.type === 'userTask' ? step.roles.join() : step.type === 'parallel' ? String(step.branches.length) : step.type);
  expect(stepType({ type: 'userTask', title: 'T', roles: ['a', 'b'], outcomes: { done: { next: 'x' } } })).toBe('a,b');
});
