// ESLint flat config. Light TypeScript rules for the whole repo; strict determinism rules for
// `workflows/**`, which run inside Temporal's deterministic sandbox (see docs/ARCHITECTURE.md,
// "workflows/ may import"). The type-aware rule is enabled for workflows only, to keep lint fast.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'http',
  'https',
  'net',
  'events',
  'stream',
  'timers',
];

const WORKFLOW_REASON =
  'workflows/ runs in the deterministic workflow sandbox: do I/O in an activity (activities/) and call it through proxyActivities.';

const restrictedImports = {
  paths: [
    ...NODE_BUILTINS.map((name) => ({ name, message: `Node built-in '${name}' in workflow code. ${WORKFLOW_REASON}` })),
    ...['knex', 'pg', 'express', 'ajv', 'ajv-formats', 'pino'].map((name) => ({
      name,
      message: `'${name}' in workflow code. ${WORKFLOW_REASON}`,
    })),
  ],
  patterns: [
    { regex: '^node:', message: `Node built-ins in workflow code. ${WORKFLOW_REASON}` },
    {
      regex: `^(${NODE_BUILTINS.join('|')})/`,
      message: `Node built-ins in workflow code. ${WORKFLOW_REASON}`,
    },
    {
      // `import type { ... } from '../activities/...'` is how workflows name activity signatures.
      regex: '^(\\.\\./)+activities(/|$)',
      allowTypeImports: true,
      message: `Activities are imported only as types (\`import type\`) and called through proxyActivities.`,
    },
    {
      regex: '^(\\.\\./)+(lib|db|api|worker)(/|$)',
      message: `workflows/ may import only @temporalio/workflow, jsonata, @cfworker/json-schema, re2js and each other. ${WORKFLOW_REASON}`,
    },
  ],
};

export default tseslint.config(
  {
    ignores: ['node_modules/', '.data/', '.tools/', '.scratch/', 'ui/dist/', 'ui/dist.*/', 'dist/', 'coverage/', 'test/artifacts/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      // Visible but not fatal outside workflows/: boundary code (HTTP bodies, knex rows) uses it knowingly.
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // CommonJS config files (jest.config.js, cli/bin.js).
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**', 'bench/**'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      'no-restricted-imports': ['error', restrictedImports],
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'setInterval', 'performance', 'process'].map((name) => ({
          name,
          message: `'${name}' is not deterministic in workflow code: use sleep()/condition()/workflowInfo() from @temporalio/workflow.`,
        })),
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'Math.random is not replay-safe in workflow code: use uuid4() or a value passed in from an activity.',
        },
      ],
    },
  },
);
