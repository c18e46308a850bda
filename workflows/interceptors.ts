/**
 * Workflow interceptors (registered in worker/create-worker.ts): each activation starts the shared
 * expression budget over (see EXPRESSION_BUDGET.activationSteps). Activations are the same on replay
 * as when the history was written, so the budget is too.
 */
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { beginActivation } from './expressions';

export const interceptors: WorkflowInterceptorsFactory = () => ({
  internals: [
    {
      activate(input, next) {
        beginActivation();
        return next(input);
      },
    },
  ],
});
