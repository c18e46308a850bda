/**
 * The layers' boundaries:
 * - api/ never loads activities/, neither directly nor through what it imports (lib/, domain/,
 *   workflows/…). ESLint (eslint.config.mjs) refuses the direct import; this walks the import graph from
 *   every file in api/ so an indirect one (api → lib/x → activities/y) fails too, naming the chain.
 *   Type-only imports are not followed: they are erased before anything runs, and workflows/ name
 *   activity signatures that way.
 * - domain/ is pure: ESLint refuses I/O, Temporal, other layers and the clock there.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ESLint } from 'eslint';
import ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');
const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'dist' || entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** An import that loads the module when this one runs: not `import type`, and not only type specifiers. */
function loadsAtRunTime(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return false;
    const named = node.exportClause;
    return !(named && ts.isNamedExports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly));
  }
  const clause = node.importClause;
  if (!clause) return true; // `import './x'`: for its side effects
  if (clause.isTypeOnly) return false;
  if (clause.name) return true;
  const bindings = clause.namedBindings;
  if (!bindings || ts.isNamespaceImport(bindings)) return true;
  return bindings.elements.length === 0 || !bindings.elements.every((e) => e.isTypeOnly);
}

/** Relative module specifiers the file loads at run time: imports, re-exports, require() and import(). */
export function runtimeImports(file: string, text = readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (loadsAtRunTime(node)) found.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && !node.isTypeOnly && ts.isExternalModuleReference(node.moduleReference)) {
      const expr = node.moduleReference.expression;
      if (ts.isStringLiteral(expr)) found.push(expr.text);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.filter((s) => s.startsWith('.'));
}

function resolve(from: string, specifier: string): string | null {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), `${base}.cjs`, `${base}.js`]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

/**
 * Every chain from a file of `fromDir` to a file under `forbiddenDir`, one per forbidden file reached
 * (the first found, breadth first, so the shortest). Imports that resolve to no file are listed too:
 * an unresolved import would hide whatever it loads.
 */
export function forbiddenChains(fromDir: string, forbiddenDir: string): { chains: string[][]; unresolved: string[] } {
  const forbidden = path.join(ROOT, forbiddenDir) + path.sep;
  const parent = new Map<string, string | null>();
  const queue = sourceFiles(path.join(ROOT, fromDir));
  for (const file of queue) parent.set(file, null);
  const chains: string[][] = [];
  const unresolved: string[] = [];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const specifier of runtimeImports(file)) {
      const target = resolve(file, specifier);
      if (!target) {
        unresolved.push(`${rel(file)}: ${specifier}`);
        continue;
      }
      if (parent.has(target)) continue;
      parent.set(target, file);
      if (target.startsWith(forbidden)) {
        const chain = [target];
        for (let at = parent.get(target); at; at = parent.get(at)) chain.unshift(at);
        chains.push(chain.map(rel));
        continue; // one chain per forbidden file is enough to name the problem
      }
      if (!target.includes(`${path.sep}node_modules${path.sep}`)) queue.push(target);
    }
  }
  return { chains, unresolved };
}

test('the import walker follows value imports, re-exports and require(), not type-only ones', () => {
  const text = [
    "import a from './a';",
    "import { b, type B } from './b';",
    "import type { C } from './c';",
    "import { type D } from './d';",
    "import * as e from './e';",
    "import './f';",
    "export { g } from './g';",
    "export type { H } from './h';",
    "const i = require('./i');",
    "const j = () => import('./j');",
    "import k from 'knex';",
  ].join('\n');
  expect(runtimeImports('probe.ts', text)).toEqual(['./a', './b', './e', './f', './g', './i', './j']);
});

test('nothing api/ loads reaches activities/', () => {
  const { chains, unresolved } = forbiddenChains('api', 'activities');
  expect(unresolved).toEqual([]);
  expect(chains.map((c) => c.join(' → '))).toEqual([]);
});

// ---- the lint rules, on probe files ----

/** ESLint in a child process: it loads eslint.config.mjs with import(), which jest's sandbox refuses. */
async function lintFiles(files: string[]): Promise<ESLint.LintResult[]> {
  const script = `
    const { ESLint } = require('eslint');
    new ESLint({ cwd: process.cwd() })
      .lintFiles(JSON.parse(process.argv[1]))
      .then((results) => process.stdout.write(JSON.stringify(results)), (err) => { console.error(err); process.exit(2); });
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, JSON.stringify(files)], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as ESLint.LintResult[];
}

/**
 * Lints `lines` as a file inside `dir`, in its git-ignored `dist/` (so a concurrent `git add` cannot
 * commit it), named per process so two jest runs do not collide; the errors as `<line> <rule>: <message>`.
 */
async function probeErrors(dir: string, lines: string[]): Promise<string[]> {
  const probeDir = path.join(ROOT, dir, 'dist');
  const probe = path.join(probeDir, `__architecture_probe_${process.pid}__.ts`);
  const createdDir = mkdirSync(probeDir, { recursive: true });
  writeFileSync(probe, lines.join('\n') + '\n');
  try {
    const [result] = await lintFiles([probe]);
    if (!result) throw new Error(`ESLint did not lint ${probe}: is ${dir}/ ignored?`);
    return result.messages.filter((m) => m.severity === 2).map((m) => `${m.line} ${m.ruleId}: ${m.message}`);
  } finally {
    rmSync(probe, { force: true });
    // Only if this run made it and nobody else's probe is in it (rmdir refuses a non-empty folder).
    if (createdDir) removeIfEmpty(createdDir);
  }
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOTEMPTY') throw err;
  }
}

test('ESLint refuses an api/ file importing activities/, even for types', async () => {
  const errors = await probeErrors('api', [
    "import { createActivities } from '../../activities';",
    "import type { StepContext } from '../../activities/context';",
    "import { ensureLead } from '../../lib/leads';",
    '',
    'export const probe: [typeof createActivities, StepContext | null, typeof ensureLead] = [createActivities, null, ensureLead];',
  ]);
  expect(errors).toEqual([
    expect.stringMatching(/^1 no-restricted-imports: .*api\/ never imports activities\//),
    expect.stringMatching(/^2 no-restricted-imports: .*api\/ never imports activities\//),
  ]);
}, 60_000);

test('ESLint refuses I/O, Temporal, other layers and the clock in domain/', async () => {
  const errors = await probeErrors('domain', [
    "import knex from 'knex';",
    "import { readFileSync } from 'node:fs';",
    "import { ApplicationFailure } from '@temporalio/activity';",
    "import { billable } from '../../lib/billing';",
    "import { normalizeRut } from '../identity';",
    '',
    'export const probe = [knex, readFileSync, ApplicationFailure, billable, normalizeRut];',
    'export const now = [Date.now(), new Date(), Math.random(), new Date(0)];',
  ]);
  expect(errors).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^1 no-restricted-imports: .*'knex' in domain code/),
      expect.stringMatching(/^2 no-restricted-imports: .*Node built-ins in domain code/),
      expect.stringMatching(/^3 no-restricted-imports: .*Temporal in domain code/),
      expect.stringMatching(/^4 no-restricted-imports: .*domain\/ imports only domain\//),
      expect.stringMatching(/^8 no-restricted-properties: .*Date.now in domain code/),
      expect.stringMatching(/^8 no-restricted-syntax: new Date\(\) in domain code/),
      expect.stringMatching(/^8 no-restricted-properties: .*Math.random in domain code/),
    ]),
  );
  // A sibling area (`../identity`) and `new Date(0)` (a given time) are fine.
  expect(errors.filter((e) => e.startsWith('5 '))).toEqual([]);
  expect(errors.filter((e) => e.startsWith('8 '))).toHaveLength(3);
}, 60_000);
