import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

export const WORKFLOWS_PATH = require.resolve('../workflows');
/** Workflow interceptors bundled with the interpreter (the activation's expression budget). */
export const WORKFLOW_INTERCEPTORS = require.resolve('../workflows/interceptors');

let cached: Promise<WorkflowBundleWithSourceMap> | undefined;

/**
 * The interpreter bundled once per process: bundling takes seconds, and tests and benchmarks
 * create many workers.
 */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  cached ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, workflowInterceptorModules: [WORKFLOW_INTERCEPTORS], logger: quietLogger });
  return cached;
}

const noop = () => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error };
