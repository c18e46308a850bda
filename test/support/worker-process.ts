/**
 * A real worker as its own OS process (worker/main.ts), as production runs it beside the API: tests
 * kill it with SIGKILL to show that work in flight is picked up by the next worker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { devServerAddress } from './servers';

const ROOT = path.join(__dirname, '../..');

/** Starts worker/main.ts on the dev server and `databaseUrl`; resolves once it polls `taskQueue`. */
export function startWorkerProcess(databaseUrl: string, taskQueue: string): Promise<ChildProcess> {
  // `node --import tsx`, not the tsx CLI: the CLI runs the script in a child process that SIGKILL would not reach.
  const proc = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, TEMPORAL_ADDRESS: devServerAddress(), DATABASE_URL: databaseUrl, TEMPORAL_TASK_QUEUE: taskQueue },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('polling task queue') && resolve(proc));
    proc.on('exit', (code) => reject(new Error(`worker process exited early (${code})`)));
  });
}

/** SIGKILL, and wait until the process is really gone. */
export async function killWorkerProcess(proc: ChildProcess): Promise<void> {
  const pid = proc.pid!;
  if (proc.exitCode === null && proc.signalCode === null) {
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  }
  expect(() => process.kill(pid, 0)).toThrow();
}
