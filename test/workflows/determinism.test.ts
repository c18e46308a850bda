/**
 * Workflow code must stay deterministic: no I/O modules, no activity implementations, no validators
 * that generate code. The SDK's bundler rejects Node built-ins; the import scan catches the rest.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../worker/bundle';

const WORKFLOWS_DIR = path.join(__dirname, '../../workflows');
const FORBIDDEN = [/^node:/, /^(fs|path|os|crypto|child_process|http|https|net)$/, /^knex/, /^pg$/, /^express/, /^ajv/, /^pino/, /activities\/(?!context$)/, /\.\.\/(lib|db|api|worker)\//];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : full.endsWith('.ts') ? [full] : [];
  });
}

function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  // `import type` is erased at compile time, so it may name anything.
  return [...text.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'([^']+)'/gms), ...text.matchAll(/require\('([^']+)'\)/g)].map((m) => m[1]);
}

describe('workflow determinism', () => {
  it.each(sources(WORKFLOWS_DIR).map((f) => [path.relative(WORKFLOWS_DIR, f), f]))('%s imports nothing with I/O', (_name, file) => {
    const bad = runtimeImports(file).filter((spec) => FORBIDDEN.some((re) => re.test(spec)));
    expect(bad).toEqual([]);
  });

  it("uses no clock or randomness outside the SDK's deterministic ones", () => {
    const offenders = sources(WORKFLOWS_DIR).filter((f) => /Math\.random|performance\.now|process\.hrtime|setTimeout\(/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('bundles with the Temporal SDK bundler', async () => {
    const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } });
    expect(bundle.code).toContain('interpreter');
  }, 120_000);
});
