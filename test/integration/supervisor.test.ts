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
import { requestJson } from '../support/api';
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

/** A bearer token of a demo user of the started app. */
async function login(username: string, of: StartedApp = app): Promise<string> {
  const res = await requestJson(of.baseUrl, 'POST', '/api/auth/login', undefined, { username, password: of.users.get(username)!.password });
  return res.body.token;
}

it("runs the local SMTP sink: the worker's notifications arrive there and operators read them at GET /api/mail", async () => {
  expect(log()).toContain(`e-mail       local sink smtp://127.0.0.1:${app.ports.smtp}`);
  const [store, admin] = await Promise.all([login('integration'), login('admin')]);
  const email = `sink${Date.now()}@cafeteriaelmolino.cl`;
  const signup = await requestJson(app.baseUrl, 'POST', '/api/accounts', store, { kind: 'freemium', email, rut: '77.123.456-9', name: 'Cafetería El Molino Ltda.', channel: 'landing' });
  expect(signup.status).toBe(201);
  // The drainer delivers at once, or after its idle sleep (10 s) on an empty outbox.
  const mail = await eventually(() => requestJson(app.baseUrl, 'GET', `/api/mail?to=${encodeURIComponent(email)}`, admin).then((r) => r.body), (b) => b?.total === 1, 'the welcome in the sink', 60_000);
  expect(mail.items[0]).toMatchObject({ to: [email], subject: 'Bienvenido a tu cuenta gratuita, Cafetería El Molino Ltda.', template: 'freemium-welcome' });
}, 120_000);

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

it('stops HTTP, worker, the mail sink, Temporal and Postgres in that order on SIGTERM, leaving nothing behind', async () => {
  const other = await startAppAsUser();
  const services = [servicePid('worker', other), servicePid('API', other)];
  const written = await other.stop(); // SIGTERM to npm start, then waits for it to exit
  const stops = [...written.matchAll(/\[cauce\] stopping (.+)…/g)].map((m) => m[1]);
  expect(stops).toEqual(['HTTP server', 'worker', 'mail sink', 'Temporal', 'Postgres']);
  expect(services.filter(alive)).toEqual([]);
  expect(processesUsing(other.dataDir)).toEqual([]);
  for (const port of Object.values(other.ports)) expect([port, await portOpen(port)]).toEqual([port, false]);
}, 300_000);
