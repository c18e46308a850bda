/**
 * Workflow code must bundle with the Temporal SDK's bundler (what every worker runs), which rejects
 * Node built-ins and anything that pulls them in. What may be imported or called in workflows/ is
 * ESLint's job (eslint.config.mjs, checked by test/unit/lint-workflows.test.ts).
 */
import { workflowBundle } from '../../worker/bundle';

it('bundles with the Temporal SDK bundler', async () => {
  const bundle = await workflowBundle();
  expect(bundle.code).toContain('interpreter');
}, 120_000);
