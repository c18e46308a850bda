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

/**
 * Steps a step may lead to; a parallel step leads to its branches' starts and to what follows the join.
 * `errors: false` leaves out where an activity's failure leads (`onError`): the way the process goes
 * when all is well.
 */
export function nextSteps(step: Step, { errors = true }: { errors?: boolean } = {}): string[] {
  const targets: Array<string | undefined> = (() => {
    switch (step.type) {
      case 'activity':
        return [step.next, errors ? step.onError?.next : undefined];
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

/**
 * Whether some step reachable from `from` (included) takes the event `name`, along the way the process
 * goes when its activities succeed: a second payment that only a failed checkout's retry loop could
 * take is not awaited while the first one is being billed.
 */
export function canTakeEvent(steps: Record<string, Step>, from: string[], name: string): boolean {
  const seen = new Set<string>();
  // A parallel step where a path stands and whose branches have started (their paths are in `from`
  // too) leads on only from its join; one just entered still has its branches ahead.
  const running = (id: string) => {
    const step = steps[id];
    if (step?.type !== 'parallel') return false;
    const inside = stepsById(Object.fromEntries(step.branches.flatMap((b) => Object.entries(b.steps))));
    return from.some((f) => f in inside);
  };
  const queue = from.map((id) => (running(id) ? `join:${id}` : id));
  while (queue.length) {
    const item = queue.pop()!;
    const join = item.startsWith('join:');
    const id = join ? item.slice(5) : item;
    if (seen.has(item) || !steps[id]) continue;
    seen.add(item);
    const step = steps[id];
    if (join) {
      if (step.type === 'parallel' && step.next) queue.push(step.next);
      continue;
    }
    if (eventNames(step).includes(name)) return true;
    queue.push(...nextSteps(step, { errors: false }));
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
