import type { Position, ProcessInstance } from '../instance';
import type { Step } from '../model';

/** Where a step sends its path: another step, the end of the path (branch or instance), or the instance's end. */
export type Transition = { next: string } | { pathEnd: true } | { end: true; outcome: string | null };

export const pathEnd: Transition = { pathEnd: true };

export function goTo(next: string | undefined): Transition {
  return next ? { next } : pathEnd;
}

export interface StepRun<S extends Step> {
  step: S;
  pos: Position;
  pathId: string;
  instance: ProcessInstance;
  /** Runs a nested path (a parallel branch) to its end. */
  runPath(pathId: string, start: string, scope: Record<string, Step>): Promise<Transition>;
}

export type StepHandler<S extends Step> = (run: StepRun<S>) => Promise<Transition>;
