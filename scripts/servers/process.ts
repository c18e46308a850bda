/**
 * Child-process and port helpers shared by the embedded servers (postgres.ts, temporal.ts).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** An OS-assigned free TCP port on 127.0.0.1 (there is a small race until the caller binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Waits for EOF on stdin, which comes when the parent that holds the other end of the pipe is gone
 * however it went (exit, `kill -9`, a native abort), then stops the server's process group: `$2`,
 * and SIGKILL when it is still there after `$3` seconds. Node has no PR_SET_PDEATHSIG, and an exit
 * hook never runs on SIGKILL or an abort.
 */
const WATCHDOG = `
while read -r _; do :; done
kill -s "$2" -- "-$1" 2>/dev/null || exit 0
i=0
while [ "$i" -lt "$3" ] && kill -0 -- "-$1" 2>/dev/null; do sleep 1; i=$((i+1)); done
kill -s KILL -- "-$1" 2>/dev/null`;

export interface SpawnGroupOptions {
  uid?: number;
  gid?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** What the watchdog sends the group when this process dies without stopping it (default SIGTERM). */
  orphanSignal?: NodeJS.Signals;
}

/**
 * Runs the child in its own process group: a terminal Ctrl-C then reaches only our process, which
 * stops the servers in order (worker first) instead of all at once, and `stop()` can kill the whole
 * group. Two safety nets for our own death: the `exit` hook (a normal exit that skipped `stop()`)
 * and a watchdog process (SIGKILL, a native crash), so the server never outlives us.
 */
export function spawnGroup(cmd: string, args: string[], logFile: string, options: SpawnGroupOptions = {}): ChildProcess {
  const { orphanSignal = 'SIGTERM', ...spawnOptions } = options;
  mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd], ...spawnOptions });
  closeSync(fd);
  if (child.pid === undefined) return child; // spawn failed: its 'error' event tells the caller
  const onExit = () => killGroup(child, 'SIGKILL');
  process.on('exit', onExit);
  const watchdog = watchGroup(child.pid, orphanSignal);
  child.once('exit', () => {
    process.removeListener('exit', onExit);
    watchdog.kill('SIGKILL'); // disarmed: the group is gone, and its id may be reused
  });
  return child;
}

function watchGroup(pgid: number, signal: NodeJS.Signals): ChildProcess {
  // Its own group too, so a terminal Ctrl-C leaves it alone; stdin is the pipe whose EOF it waits for.
  const watchdog = spawn('/bin/sh', ['-c', WATCHDOG, 'cauce-watchdog', String(pgid), signal.replace(/^SIG/, ''), '10'], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.on('error', () => undefined);
  // Neither the watchdog nor its pipe may keep our event loop alive.
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return watchdog;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM (or `signal`) to the group, SIGKILL if it is still there after `graceMs`. */
export async function stopGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, signal);
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
