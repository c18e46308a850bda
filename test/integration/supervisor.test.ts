/**
 * `npm start` as a supervisor (scripts/start.ts, scripts/supervisor.ts): the API and the worker are
 * separate OS processes; killing one restarts it, says why it died, and leaves the other serving;
 * killing the supervisor itself with SIGKILL leaves nothing behind, embedded servers included.
 * The real `npm start`, with its own embedded Postgres and Temporal on free ports.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { startAppAsUser, type StartedApp } from '../e2e/support/started-app';
import { eventually } from '../support/eventually';

let app: StartedApp;

beforeAll(async () => {
  app = await startAppAsUser();
}, 300_000);

afterAll(() => app?.stop());

const log = (of: StartedApp = app) => readFileSync(of.logFile, 'utf8');

/** The pid the supervisor last reported for a service (`worker ready (pid 12)`, `worker running again (pid 13)`). */
function servicePid(name: string, of: StartedApp = app): number {
  const pids = [...log(of).matchAll(new RegExp(`\\[cauce\\] ${name} (?:ready|running again) \\(pid (\\d+)\\)`, 'g'))].map((m) => Number(m[1]));
  if (pids.length === 0) throw new Error(`no pid for ${name} in the log:\n${log(of)}`);
  return pids[pids.length - 1];
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const health = () => fetch(`${app.baseUrl}/healthz`).then((r) => r.status, () => 0);

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Processes whose command line names the run's data dir: its Postgres (-D) and Temporal (--db-filename). */
function processesUsing(dir: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(dir) && !line.includes('ps -eo'));
}

it('restarts a worker killed with SIGKILL, logging why it died, while the API keeps answering', async () => {
  const worker = servicePid('worker');
  const api = servicePid('API');
  process.kill(worker, 'SIGKILL');
  await eventually(async () => log(), (l) => l.includes(`worker (pid ${worker}) died: killed by SIGKILL`), 'the death in the log');
  expect(await health()).toBe(200);
  expect(log()).toMatch(new RegExp(`worker \\(pid ${worker}\\) died: killed by SIGKILL after [\\d.]+ s; last stderr:\\n    \\S`));
  expect(log()).toContain('restarting worker in 1 s (crash 1 in a row)');
  await eventually(async () => servicePid('worker'), (pid) => pid !== worker, 'a new worker', 60_000);
  expect(servicePid('API')).toBe(api);
  expect(alive(api)).toBe(true);
}, 120_000);

it('restarts an API killed with SIGKILL, and the worker is untouched', async () => {
  const worker = servicePid('worker');
  const api = servicePid('API');
  process.kill(api, 'SIGKILL');
  await eventually(async () => log(), (l) => l.includes(`API (pid ${api}) died: killed by SIGKILL`), 'the death in the log');
  await eventually(health, (status) => status === 200, 'the API to answer again', 60_000);
  expect(servicePid('API')).not.toBe(api);
  expect(servicePid('worker')).toBe(worker);
  expect(alive(worker)).toBe(true);
}, 120_000);

it('leaves no process behind when the supervisor itself is killed with SIGKILL', async () => {
  const services = [servicePid('worker'), servicePid('API')];
  expect(processesUsing(app.dataDir)).toHaveLength(2); // Postgres and Temporal
  expect(await portOpen(app.ports.postgres)).toBe(true);
  expect(await portOpen(app.ports.temporal)).toBe(true);

  process.kill(app.pid, 'SIGKILL');

  await eventually(async () => processesUsing(app.dataDir), (left) => left.length === 0, 'Postgres and Temporal to be gone', 15_000);
  await eventually(async () => services.filter(alive), (left) => left.length === 0, 'the API and worker processes to be gone', 15_000);
  for (const port of Object.values(app.ports)) expect([port, await portOpen(port)]).toEqual([port, false]);
}, 60_000);

it('stops HTTP, worker, Temporal and Postgres in that order on SIGTERM, leaving nothing behind', async () => {
  const other = await startAppAsUser();
  const services = [servicePid('worker', other), servicePid('API', other)];
  const written = await other.stop(); // SIGTERM to npm start, then waits for it to exit
  const stops = [...written.matchAll(/\[cauce\] stopping (.+)…/g)].map((m) => m[1]);
  expect(stops).toEqual(['HTTP server', 'worker', 'Temporal', 'Postgres']);
  expect(services.filter(alive)).toEqual([]);
  expect(processesUsing(other.dataDir)).toEqual([]);
  for (const port of Object.values(other.ports)) expect([port, await portOpen(port)]).toEqual([port, false]);
}, 300_000);
