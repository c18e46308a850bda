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

const DOMAIN_REASON =
  'domain/ holds pure business rules, imported by api/, activities/ and workflows/: no I/O, no clock, no randomness. Read and write in a store (lib/, api/<area>/store.ts) and pass the values in.';

/** domain/ may import only domain/: anything else would bring I/O or a layer into the rules. */
const domainImports = {
  paths: [...NODE_BUILTINS, 'knex', 'pg', 'express', 'ajv', 'ajv-formats', 'pino'].map((name) => ({
    name,
    message: `'${name}' in domain code. ${DOMAIN_REASON}`,
  })),
  patterns: [
    { regex: '^node:', message: `Node built-ins in domain code. ${DOMAIN_REASON}` },
    { regex: `^(${NODE_BUILTINS.join('|')})/`, message: `Node built-ins in domain code. ${DOMAIN_REASON}` },
    { regex: '^@temporalio/', message: `Temporal in domain code: callers turn a rule's answer into a failure. ${DOMAIN_REASON}` },
    {
      regex: '^(\\.\\./)+(activities|api|lib|db|worker|workflows|cli|scripts|ui)(/|$)',
      message: `domain/ imports only domain/ (every layer imports it, not the other way round). ${DOMAIN_REASON}`,
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
  {
    // The API reaches activities only through Temporal; shared rules are in domain/, shared SQL in lib/.
    // test/unit/architecture.test.ts also follows lib/ and domain/ imports, which this rule cannot.
    files: ['api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+activities(/|$)',
              message: 'api/ never imports activities/ (not even types): put the rule in domain/, the SQL in a store in lib/, and reach the activity through a workflow.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', domainImports],
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'setInterval', 'setImmediate', 'performance', 'process', 'fetch', 'crypto'].map((name) => ({
          name,
          message: `'${name}' in domain code. ${DOMAIN_REASON}`,
        })),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: `Math.random in domain code. ${DOMAIN_REASON}` },
        { object: 'Date', property: 'now', message: `Date.now in domain code: take the time as an argument. ${DOMAIN_REASON}` },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: `new Date() in domain code: take the time as an argument. ${DOMAIN_REASON}` },
      ],
    },
  },
);
