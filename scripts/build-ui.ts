/**
 * The back-office web app (ui/) is built by `npm start` and the test setup whenever its build is
 * missing or older than its sources, so nobody has to remember a separate build step. Vite runs in
 * a child process: it is ESM-only, and this project runs as CommonJS under tsx.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './ensure-tools';

export const UI_DIR = path.join(ROOT, 'ui');
export const UI_DIST = path.join(UI_DIR, 'dist');

/** Everything a build depends on besides ui/: shared types and helpers it imports, and the installed packages. */
const EXTRA_INPUTS = [path.join(ROOT, 'package-lock.json'), path.join(ROOT, 'workflows', 'model.ts'), path.join(ROOT, 'workflows', 'definition.ts')];

function newestMtime(target: string): number {
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  // Files only: swapping the build in changes ui/'s own mtime, which would make every build stale.
  let newest = 0;
  for (const entry of readdirSync(target)) {
    if (entry === 'dist' || entry.startsWith('dist.') || entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

function uiBuildIsStale(): boolean {
  const index = path.join(UI_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const sources = Math.max(newestMtime(UI_DIR), ...EXTRA_INPUTS.filter(existsSync).map(newestMtime));
  return sources > statSync(index).mtimeMs;
}

/**
 * Builds into a sibling folder and swaps it in, so a server already serving ui/dist never sees a
 * half-written build. Returns the folder to serve.
 */
export async function ensureUiBuilt(log: (message: string) => void = () => undefined): Promise<string> {
  if (!uiBuildIsStale()) return UI_DIST;
  const started = Date.now();
  log('building the web app (ui/)…');
  const staging = `${UI_DIST}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  let output = '';
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', path.join(UI_DIR, 'vite.config.mts'), '--outDir', staging, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (status) => resolve(status ?? 1));
  });
  if (code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`building the web app failed (vite exit ${code}):\n${output.trim()}`);
  }
  rmSync(UI_DIST, { recursive: true, force: true });
  renameSync(staging, UI_DIST);
  log(`web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return UI_DIST;
}
