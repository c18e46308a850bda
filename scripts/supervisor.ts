/**
 * Runs one service (the API, the worker) as its own OS process and keeps it running: a crash of one
 * never takes another down, and a crashed one is started again after a pause that doubles with each
 * crash in a row (1 s … 30 s) and starts over once it has stayed up for a while. Each death is logged
 * with its exit code or signal and the last lines the process wrote to stderr (e.g. a native abort).
 *
 * The child runs in its own process group, so a terminal Ctrl-C reaches only the supervisor, which
 * stops the services in order; the child has an IPC channel and stops when it closes
 * (lib/service-process.ts), so it never outlives a supervisor killed with SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export interface ServiceSpec {
  /** Shown in the log: `worker`, `API`. */
  name: string;
  /** A TypeScript entry point, run with `node --import tsx`. */
  script: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** How long `stop()` waits after SIGTERM before SIGKILL (a worker drains its activities). */
  stopGraceMs?: number;
}

export interface SupervisorTuning {
  firstDelayMs: number;
  maxDelayMs: number;
  /** Up this long, a process counts as healthy again: its next crash waits `firstDelayMs`. */
  stableAfterMs: number;
  stderrLines: number;
}

const DEFAULT_TUNING: SupervisorTuning = { firstDelayMs: 1_000, maxDelayMs: 30_000, stableAfterMs: 30_000, stderrLines: 20 };

export interface Supervised {
  readonly name: string;
  /** The current process, if one runs. */
  readonly pid: number | undefined;
  /** Resolves when the first process announced it is ready; rejects (with its stderr) if it died first. */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

export function supervise(spec: ServiceSpec, log: (message: string) => void, tuning: Partial<SupervisorTuning> = {}): Supervised {
  const t = { ...DEFAULT_TUNING, ...tuning };
  let child: ChildProcess | undefined;
  let crashesInARow = 0;
  let everReady = false;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let resolveReady!: () => void;
  let rejectReady!: (err: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => undefined); // the caller awaits it; an unawaited rejection must not kill us

  function run(): void {
    const started = Date.now();
    const stderr: string[] = [];
    const proc = spawn(process.execPath, ['--import', 'tsx', spec.script], {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child = proc;
    relay(proc.stdout!, (line) => process.stdout.write(line + '\n'));
    relay(proc.stderr!, (line) => {
      process.stderr.write(line + '\n');
      stderr.push(line);
      if (stderr.length > t.stderrLines) stderr.shift();
    });
    proc.on('message', (message: { type?: string }) => {
      if (message?.type !== 'ready') return;
      if (!everReady) log(`${spec.name} ready (pid ${proc.pid})`);
      else log(`${spec.name} running again (pid ${proc.pid})`);
      everReady = true;
      resolveReady();
    });
    proc.on('error', (err) => stderr.push(`spawn failed: ${err.message}`));
    proc.on('exit', (code, signal) => {
      child = undefined;
      if (stopping) return;
      const upMs = Date.now() - started;
      const why = `${describeExit(code, signal)} after ${(upMs / 1000).toFixed(1)} s`;
      const lastLines = stderr.length ? `; last stderr:\n${stderr.map((l) => `    ${l}`).join('\n')}` : '; nothing on stderr';
      if (!everReady) {
        // Never came up (bad config, port in use): starting it again would only repeat the error.
        rejectReady(new Error(`${spec.name} exited before it was ready (${why})${lastLines}`));
        return;
      }
      crashesInARow = upMs >= t.stableAfterMs ? 1 : crashesInARow + 1;
      const delay = Math.min(t.firstDelayMs * 2 ** (crashesInARow - 1), t.maxDelayMs);
      log(`${spec.name} (pid ${proc.pid}) died: ${why}${lastLines}`);
      log(`restarting ${spec.name} in ${delay / 1000} s (crash ${crashesInARow} in a row)`);
      restartTimer = setTimeout(run, delay);
    });
  }

  run();
  return {
    name: spec.name,
    get pid() {
      return child?.pid;
    },
    ready,
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), spec.stopGraceMs ?? 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function relay(stream: Readable, write: (line: string) => void): void {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', write);
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `killed by ${signal}`;
  return `exit code ${code}`;
}
