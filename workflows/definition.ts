/** Pure helpers over a process definition, shared by the interpreter and its tests. */
import type { Step } from './model';

/** Every step by id, branches included (the validator guarantees ids are unique across the definition). */
export function stepsById(steps: Record<string, Step>, into: Record<string, Step> = {}): Record<string, Step> {
  for (const [id, step] of Object.entries(steps)) {
    into[id] = step;
    if (step.type === 'parallel') for (const branch of step.branches) stepsById(branch.steps, into);
  }
  return into;
}
