/**
 * The determinism boundary of workflows/ is enforced by ESLint (eslint.config.mjs): a probe file
 * placed inside workflows/ with forbidden imports and calls must fail with the rules that name them,
 * and workflows/ itself must lint clean.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ESLint } from 'eslint';

const ROOT = path.join(__dirname, '..', '..');

// Type-aware linting (no-floating-promises) builds a TypeScript program: slower than a unit test.
jest.setTimeout(60_000);

/**
 * ESLint's Node API, run in a child Node process: ESLint loads eslint.config.mjs with a dynamic
 * import(), which jest's module sandbox refuses without --experimental-vm-modules.
 */
async function lintFiles(patterns: string[]): Promise<ESLint.LintResult[]> {
  const script = `
    const { ESLint } = require('eslint');
    new ESLint({ cwd: process.cwd() })
      .lintFiles(JSON.parse(process.argv[1]))
      .then((results) => process.stdout.write(JSON.stringify(results)), (err) => { console.error(err); process.exit(2); });
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, JSON.stringify(patterns)], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as ESLint.LintResult[];
}

// Inside workflows/ so the workflow rules apply, in a git-ignored folder (.gitignore: `dist/`) so a
// concurrent `git add` cannot sweep it into a commit; per process, so two jest runs do not collide.
const PROBE_DIR = path.join(ROOT, 'workflows', 'dist');
const PROBE = path.join(PROBE_DIR, `__lint_probe_${process.pid}__.ts`);
let probeErrors: string[];
let workflowProblems: string[];

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOTEMPTY') throw err;
  }
}

// One ESLint run for both tests: the type-aware rule builds a TypeScript program each time.
beforeAll(async () => {
  const createdDir = mkdirSync(PROBE_DIR, { recursive: true });
  writeFileSync(
    PROBE,
    [
      "import knex from 'knex';",
      "import { readFileSync } from 'node:fs';",
      "import type { EngineActivities } from '../../activities/context';",
      "import { createActivities } from '../../activities';",
      '',
      'export type Probe = EngineActivities;',
      'export const probe = [knex, readFileSync, createActivities, Math.random(), setTimeout];',
      'async function later(): Promise<void> {}',
      'export function fire(): void {',
      '  later();',
      '}',
      '',
    ].join('\n'),
  );
  let results: ESLint.LintResult[];
  try {
    results = await lintFiles(['workflows/']);
  } finally {
    rmSync(PROBE, { force: true });
    // Only if this run made it and nobody else's probe is in it (rmdir refuses a non-empty folder).
    if (createdDir) removeIfEmpty(createdDir);
  }
  const probe = results.find((r) => r.filePath === PROBE);
  if (!probe) throw new Error(`ESLint did not lint ${PROBE}: is workflows/ ignored?`);
  probeErrors = probe.messages.filter((m) => m.severity === 2).map((m) => `${m.line} ${m.ruleId}: ${m.message}`);
  workflowProblems = results
    .filter((r) => r !== probe)
    .flatMap((r) => r.messages.map((m) => `${path.relative(ROOT, r.filePath)}:${m.line}:${m.column} ${m.ruleId}: ${m.message}`));
});

test('a workflow file importing knex and node:fs, or calling Math.random, fails lint', () => {
  expect(probeErrors).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^1 no-restricted-imports: .*'knex'/),
      expect.stringMatching(/^2 no-restricted-imports: .*node:fs/),
      expect.stringMatching(/^4 no-restricted-imports: .*'\.\.\/\.\.\/activities'/),
      expect.stringMatching(/^7 no-restricted-properties: .*Math\.random/),
      expect.stringMatching(/^7 no-restricted-globals: .*setTimeout/),
      expect.stringMatching(/^10 @typescript-eslint\/no-floating-promises: /),
    ]),
  );
  // `import type` from activities is how workflows name activity signatures: allowed.
  expect(probeErrors.filter((e) => e.startsWith('3 '))).toEqual([]);
});

test('workflows/ lints clean', () => {
  expect(workflowProblems).toEqual([]);
});
