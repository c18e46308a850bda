/**
 * Workflow code must bundle with the Temporal SDK's bundler (what every worker runs), which rejects
 * Node built-ins and anything that pulls them in. What may be imported or called in workflows/ is
 * ESLint's job (eslint.config.mjs, checked by test/unit/lint-workflows.test.ts).
 */
import vm from 'node:vm';
import { workflowBundle } from '../../worker/bundle';
import { CONTACT_IMPORT_WORKFLOW } from '../../workflows/contact-import';
import { INTERPRETER_WORKFLOW } from '../../workflows/messages';
import { OUTBOX_DELIVERY_WORKFLOW } from '../../workflows/outbox-delivery';
import { RECONCILE_WORKFLOW } from '../../workflows/reconcile';
import { SUBSCRIPTION_BILLING_WORKFLOW } from '../../workflows/subscription-billing';

it('bundles with the Temporal SDK bundler, exporting exactly the workflows workers are asked to run', async () => {
  const bundle = await workflowBundle();
  // Evaluate the bundle as a worker's sandbox does (a fresh context with the globals the SDK provides),
  // then load its workflows module: the names it exports are the workflow types a worker can run.
  const context = vm.createContext({ __webpack_module_cache__: {}, URL, URLSearchParams, TextEncoder, TextDecoder, AbortController });
  vm.runInContext(bundle.code, context, { filename: 'workflow-bundle.js' });
  const workflows = context.__TEMPORAL__.importWorkflows() as Record<string, unknown>;
  const expected = [INTERPRETER_WORKFLOW, OUTBOX_DELIVERY_WORKFLOW, RECONCILE_WORKFLOW, CONTACT_IMPORT_WORKFLOW, SUBSCRIPTION_BILLING_WORKFLOW];
  expect(Object.keys(workflows).sort()).toEqual([...expected].sort());
  for (const name of expected) expect(typeof workflows[name]).toBe('function');
}, 120_000);
