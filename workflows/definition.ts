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

/** The event names a step takes: a wait's events, or a user task's interrupting events. */
export function eventNames(step: Step): string[] {
  return step.type === 'wait' || step.type === 'userTask' ? Object.keys(step.events ?? {}) : [];
}

/** Steps a step may lead to; a parallel step leads to its branches' starts and to what follows the join. */
export function nextSteps(step: Step): string[] {
  const targets: Array<string | undefined> = (() => {
    switch (step.type) {
      case 'activity':
        return [step.next, step.onError?.next];
      case 'userTask':
        return [...Object.values(step.outcomes).map((o) => o.next), step.onOverdue?.next, ...Object.values(step.events ?? {}).map((e) => e.next)];
      case 'wait':
        return [...Object.values(step.events ?? {}).map((e) => e.next), step.timer?.next];
      case 'choice':
        return [...step.choices.map((c) => c.next), step.default];
      case 'parallel':
        return [...step.branches.map((b) => b.start), step.next];
      case 'end':
        return [];
      default:
        return [step.next];
    }
  })();
  return targets.filter((t): t is string => t !== undefined);
}

/** Whether some step reachable from `from` (included) takes the event `name`. */
export function canTakeEvent(steps: Record<string, Step>, from: string[], name: string): boolean {
  const seen = new Set<string>();
  const queue = [...from];
  while (queue.length) {
    const id = queue.pop()!;
    if (seen.has(id) || !steps[id]) continue;
    seen.add(id);
    if (eventNames(steps[id]).includes(name)) return true;
    queue.push(...nextSteps(steps[id]));
  }
  return false;
}

/** The JSON pointer of every step in the definition (`/steps/a`, `/steps/p/branches/0/steps/b`). */
export function stepPointers(steps: Record<string, Step>, base = '/steps', into: Record<string, string> = {}): Record<string, string> {
  for (const [id, step] of Object.entries(steps)) {
    into[id] = `${base}/${id}`;
    if (step.type === 'parallel') step.branches.forEach((b, i) => stepPointers(b.steps, `${base}/${id}/branches/${i}/steps`, into));
  }
  return into;
}

/** Whether a step stops its path until something outside happens (a person, an event, a timer). */
export function waitsOnItsOwn(step: Step): boolean {
  return step.type === 'wait' || step.type === 'userTask';
}
