/**
 * Refuses loops that can run without waiting. A cycle of steps with no user task, wait or timer on it
 * would spin at full speed when started: writing audit rows, continuing as new, never stopping by
 * itself. Each scope (the top level, every parallel branch) is its own graph; a parallel step
 * counts as waiting when one of its branches waits on every way through it (the join waits for it).
 */
import { waitsOnItsOwn } from '../../workflows/definition';
import type { ParallelStep, Step } from '../../workflows/model';
import type { Path, Report } from './semantic';

export interface CycleScope {
  steps: Record<string, Step>;
  stepsPath: Path;
}

type Successors = (step: Step) => string[];

export function checkCycles(scopes: CycleScope[], successors: Successors, report: Report): void {
  for (const scope of scopes) {
    const waits = (id: string) => stepWaits(scope.steps[id], successors);
    const cycle = findCycle(scope.steps, successors, waits);
    if (!cycle) continue;
    const loop = [...cycle, cycle[0]].map((id) => `'${id}'`).join(' → ');
    report(
      [...scope.stepsPath, cycle[0]],
      `steps ${loop} can repeat without waiting for a person, an event or a timer: put a userTask or a wait on the loop`,
      'key',
    );
  }
}

function stepWaits(step: Step | undefined, successors: Successors): boolean {
  if (!step) return false;
  if (waitsOnItsOwn(step)) return true;
  if (step.type !== 'parallel') return false;
  return (step as ParallelStep).branches.some((b) => alwaysWaits(b.steps, b.start, successors));
}

/** True when every way from `start` to the end of the branch passes a step that waits. */
function alwaysWaits(steps: Record<string, Step>, start: string, successors: Successors): boolean {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id) || !steps[id]) continue;
    seen.add(id);
    if (stepWaits(steps[id], successors)) continue;
    const next = successors(steps[id]).filter((t) => steps[t]);
    if (next.length === 0) return false; // reached the branch's end without waiting
    stack.push(...next);
  }
  return true;
}

/** One cycle among the steps that do not wait (iterative DFS, colours), or undefined. */
function findCycle(steps: Record<string, Step>, successors: Successors, waits: (id: string) => boolean): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  for (const root of Object.keys(steps)) {
    if (state.has(root) || waits(root)) continue;
    const path: string[] = [];
    const stack: Array<{ id: string; next: string[] }> = [];
    const push = (id: string) => {
      state.set(id, 'open');
      path.push(id);
      stack.push({ id, next: successors(steps[id]).filter((t) => steps[t] && !waits(t)) });
    };
    push(root);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const target = top.next.shift();
      if (target === undefined) {
        state.set(top.id, 'done');
        stack.pop();
        path.pop();
        continue;
      }
      const seen = state.get(target);
      if (seen === 'open') return path.slice(path.indexOf(target));
      if (seen === undefined) push(target);
    }
  }
  return undefined;
}
