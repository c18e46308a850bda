import type { ParallelStep } from '../model';
import { Parked } from '../instance';
import { goTo, type StepHandler } from './types';

/**
 * Every branch runs to its end; then the step moves on. A branch that parks for continue-as-new does
 * not stop the others mid-activity: they reach their own safe point first, so nothing runs twice.
 * A branch that fails cancels its siblings (they might otherwise wait for a task forever).
 */
export const parallel: StepHandler<ParallelStep> = async ({ step, pos, pathId, services, runPath }) => {
  const done = (pos.doneBranches ??= []);
  const pending = step.branches.filter((b) => !done.includes(b.name));
  let failure: unknown;
  const results = await services.runCancellable((cancelSiblings) =>
    Promise.allSettled(
      pending.map(async (branch) => {
        try {
          await runPath(`${pathId}/${pos.stepId}.${pos.visit}/${branch.name}`, branch.start, branch.steps);
          done.push(branch.name);
        } catch (err) {
          if (!(err instanceof Parked) && failure === undefined) {
            failure = err;
            cancelSiblings();
          }
          throw err;
        }
      }),
    ),
  );
  if (failure !== undefined) throw failure;
  if (results.some((r) => r.status === 'rejected')) throw new Parked();
  return goTo(step.next);
};
