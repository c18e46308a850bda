/**
 * `npm test [-- <jest args>]`: type-check (the server code, then ui/), lint, then jest against real servers (test/setup/global-setup.ts).
 *
 * Workers: 2 by default. The suite is mostly waiting on Postgres and Temporal, and isolation comes
 * from per-test databases and task queues, so two workers roughly halve the wall time on a 2-core
 * machine; more would just compete with the servers for CPU and make timing-sensitive tests flaky.
 * Pass --runInBand / -i / --maxWorkers yourself to override.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:os';
import path from 'node:path';
import { ensureTools, ROOT } from './ensure-tools';

let current: ChildProcess | undefined;

function run(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, script), ...args], { cwd: ROOT, stdio: 'inherit', env });
    current = child;
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}

async function main(): Promise<number> {
  const tools = await ensureTools();
  // Resolved once here so global setup does not look again.
  const env = {
    ...process.env,
    TEMPORAL_CLI_PATH: tools.temporal,
    ...(tools.testServer ? { TEMPORAL_TEST_SERVER_PATH: tools.testServer } : {}),
  };

  process.stderr.write('[test] tsc --noEmit -p .\n');
  const tsc = await run('node_modules/typescript/bin/tsc', ['--noEmit', '-p', '.'], env);
  if (tsc !== 0) {
    process.stderr.write('[test] type errors: not running jest\n');
    return tsc;
  }

  // The web app has its own compiler settings (DOM, JSX, bundler resolution): ui/tsconfig.json.
  process.stderr.write('[test] tsc --noEmit -p ui\n');
  const tscUi = await run('node_modules/typescript/bin/tsc', ['--noEmit', '-p', 'ui'], env);
  if (tscUi !== 0) {
    process.stderr.write('[test] type errors in ui/: not running jest\n');
    return tscUi;
  }

  process.stderr.write('[test] eslint .\n');
  const lint = await run('node_modules/eslint/bin/eslint.js', ['.'], env);
  if (lint !== 0) {
    process.stderr.write('[test] lint errors: not running jest\n');
    return lint;
  }

  const args = process.argv.slice(2);
  const chooseWorkers = !args.some((a) => /^(-i|--runInBand|-w|--maxWorkers)(=|$)/.test(a));
  return run('node_modules/jest/bin/jest.js', [...(chooseWorkers ? ['--maxWorkers=2'] : []), ...args], env);
}

// A terminal Ctrl-C already reaches the child (same process group), so jest can tear its servers
// down; we just wait for its exit code. SIGTERM (e.g. a CI timeout) is sent to us alone: pass it on.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => current?.kill('SIGTERM'));

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
