/**
 * A pipeline board over a definition's stages (seed 001's lead board): its columns are the stages the
 * definition declares, and a card is moved by completing its open task with the outcome that leads to
 * the target column, so the process decides and the move is the task's completion, with its actor.
 * Which column an outcome leads to is read from the definition: the first stage set on its path,
 * through activity steps (which do not branch).
 */

/** What the board reads of a step (a definition's steps, by id). */
export interface BoardStep {
  type: string;
  next?: string;
  stage?: string;
  outcomes?: Record<string, { next?: string }>;
}

/** Where each outcome of each user task leads: stepId → outcome → stage. */
export type OutcomeStages = Record<string, Record<string, string>>;

/** Steps followed looking for a stage: enough for any real path, bounded for a hostile definition. */
const MAX_HOPS = 20;

export function outcomeStages(steps: Record<string, BoardStep>): OutcomeStages {
  const stageFrom = (stepId: string | undefined): string | null => {
    for (let hop = 0, at = stepId; at && hop < MAX_HOPS; hop++) {
      const step = steps[at];
      if (!step) return null;
      if (step.type === 'setStage') return step.stage ?? null;
      if (step.type !== 'activity') return null;
      at = step.next;
    }
    return null;
  };
  const out: OutcomeStages = {};
  for (const [id, step] of Object.entries(steps)) {
    if (step.type !== 'userTask' || !step.outcomes) continue;
    for (const [outcome, spec] of Object.entries(step.outcomes)) {
      const stage = stageFrom(spec.next);
      if (stage) (out[id] ??= {})[outcome] = stage;
    }
  }
  return out;
}
