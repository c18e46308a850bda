/**
 * `npm run bench [-- --instances N --concurrency C --rounds R --warmup W --timeout S]`
 *
 * Starts its own throwaway servers (embedded Postgres + in-memory Temporal dev server, unless
 * DATABASE_URL / TEMPORAL_ADDRESS point at existing ones: then a throwaway database on that
 * Postgres and task queues of its own on that Temporal), deploys bench/five-steps.yaml, and runs
 * the same five steps three ways, one after the other, with N instances and C concurrent clients:
 *
 *   interpreted/API     POST /api/processes, POST /api/tasks/:id/complete, GET /api/processes/:id
 *   interpreted/client  the interpreter through the Temporal client (start, update, query): no HTTP
 *   hand-written        bench/hand-written/workflows.ts through the Temporal client
 *
 * and prints started/s, completed/s and the p50/p99 latency of a task completion (request sent →
 * next step visible), with the ratios to the hand-written workflow. See bench/README.md.
 * Bounded: N instances per variant and a global deadline; cleans up on exit and on Ctrl-C.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { loadConfig, type CauceConfig } from '../lib/config';
import { createDb, migrateLatest } from '../lib/db';
import { deployDefinition } from '../lib/definitions/store';
import { createUser } from '../lib/users';
import { startServers } from '../scripts/servers';
import { completeTaskUpdate, INTERPRETER_WORKFLOW, stateQuery, type InterpreterInput } from '../workflows/messages';
import type { DefinitionVersion } from '../workflows/model';
import { createWorker } from '../worker/create-worker';
import { HAND_WRITTEN_WORKFLOW, handCompleteUpdate, handStateQuery, type HandWrittenInput } from './hand-written/workflows';
import { createHandWrittenWorker } from './hand-written/worker';
import { throwawayDatabase } from './throwaway-postgres';
import { percentile } from './stats';

const DEFINITION_FILE = path.join(__dirname, 'five-steps.yaml');
const TASK_STEP = 'review';
const USER = { username: 'bench-sales', password: `bench-${randomBytes(8).toString('hex')}`, roles: ['sales'] };
const POLL_MS = 10;

// ---- arguments -------------------------------------------------------------------------------

interface Options {
  instances: number;
  concurrency: number;
  warmup: number;
  rounds: number;
  timeoutS: number;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { instances: 200, concurrency: 20, warmup: 10, rounds: 4, timeoutS: 900 };
  const names: Record<string, keyof Options> = {
    '--instances': 'instances',
    '--concurrency': 'concurrency',
    '--rounds': 'rounds',
    '--warmup': 'warmup',
    '--timeout': 'timeoutS',
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag === '--help' || flag === '-h') {
      process.stdout.write('npm run bench -- [--instances N=200] [--concurrency C=20] [--rounds R=4] [--warmup W=10] [--timeout SECONDS=900]\n');
      process.exit(0);
    }
    const key = names[flag];
    if (!key) throw new Error(`unknown option ${argv[i]} (try --help)`);
    const raw = inline ?? argv[++i];
    const value = Number(raw);
    const min = key === 'warmup' ? 0 : 1;
    if (!Number.isInteger(value) || value < min || value > 100_000) throw new Error(`${flag} needs an integer >= ${min}, got ${raw}`);
    opts[key] = value;
  }
  opts.rounds = Math.min(opts.rounds, opts.instances);
  return opts;
}

// ---- lifecycle -------------------------------------------------------------------------------

type Stop = { name: string; stop: () => Promise<unknown> };
const cleanups: Stop[] = [];
let stopping: Promise<void> | undefined;

function cleanup(): Promise<void> {
  // Requests still in flight fail once their connection closes: nobody is waiting for them any more.
  if (!stopping) process.on('uncaughtException', () => undefined).on('unhandledRejection', () => undefined);
  stopping ??= (async () => {
    for (const { name, stop } of cleanups.reverse()) {
      await stop().catch((err) => process.stderr.write(`[bench] stopping ${name} failed: ${(err as Error).message}\n`));
    }
    cleanups.length = 0;
  })();
  return stopping;
}

let deadline = Infinity;
let interrupted = false;
/** Thrown by every wait once the global deadline passed (or Ctrl-C). */
function checkDeadline(what: string): void {
  if (interrupted) throw new Error('interrupted');
  if (Date.now() > deadline) throw new Error(`bench timed out (--timeout) while ${what}`);
}

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- measurement helpers ---------------------------------------------------------------------

/** Runs `fn` over `items` with at most `concurrency` in flight. */
async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(lanes);
}

/** One way of running the five steps. */
interface Variant {
  name: string;
  /** Starts one instance; resolves with its id once the start was acknowledged. */
  start(businessKey: string): Promise<string>;
  /** Completes the instance's user task; resolves when the request returns. */
  complete(instanceId: string): Promise<void>;
  /** One look: has the instance moved past the user task? */
  movedOn(instanceId: string): Promise<boolean>;
}

/** What one batch of one variant measured. */
interface Sample {
  n: number;
  /** First start sent → last start acknowledged. */
  startS: number;
  /** First start sent → every task row open. */
  reachS: number;
  /** First completion sent → every instance completed. */
  completeS: number;
  /** Each task completion: request sent → next step visible, ms. */
  latencies: number[];
}

interface Result {
  startedPerS: number;
  reachedTaskPerS: number;
  completedPerS: number;
  p50: number;
  p99: number;
}

/** Rates over the summed phase times of all rounds; percentiles over all latencies. */
function aggregate(samples: Sample[]): Result {
  const sum = (f: (s: Sample) => number) => samples.reduce((acc, s) => acc + f(s), 0);
  const n = sum((s) => s.n);
  const latencies = samples.flatMap((s) => s.latencies).sort((a, b) => a - b);
  return {
    startedPerS: n / sum((s) => s.startS),
    reachedTaskPerS: n / sum((s) => s.reachS),
    completedPerS: n / sum((s) => s.completeS),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

async function waitForCount(label: string, count: () => Promise<number>, target: number, intervalMs: number): Promise<number> {
  for (;;) {
    if ((await count()) >= target) return performance.now();
    checkDeadline(label);
    await sleep(intervalMs);
  }
}

async function runVariant(variant: Variant, probe: Knex, n: number, concurrency: number, tag: string): Promise<Sample> {
  const keys = Array.from({ length: n }, (_, i) => `${tag}-${i}`);
  const ids: string[] = [];

  // (1) Start N instances, C at a time: started/s counts acknowledged starts.
  const started0 = performance.now();
  await pool(keys, concurrency, async (key) => {
    checkDeadline(`starting ${variant.name}`);
    ids.push(await variant.start(key));
  });
  const startedS = (performance.now() - started0) / 1000;

  // reached-task/s: from the first start until every instance has run notify and setStage and
  // opened its task (the task row exists). All must be there before the completions are timed.
  const openTasks = () => probe('tasks').whereIn('instance_id', ids).andWhere({ status: 'open' }).count({ n: '*' }).first().then((r) => Number(r?.n));
  const tasksOpen = await waitForCount(`waiting for ${variant.name} tasks to open`, openTasks, n, 20);

  // (2) Complete each task, C at a time; latency = request sent → next step visible (the workflow's
  // own view: GET /api/processes/:id or the state query). completed/s = instances that reached
  // `completed` per second, from the first completion request to the last completed instance.
  const completedRows = () =>
    probe('process_instances').whereIn('id', ids).andWhere({ status: 'completed' }).count({ n: '*' }).first().then((r) => Number(r?.n));
  const latencies: number[] = [];
  const complete0 = performance.now();
  let failed = false;
  const allCompleted = (async () => {
    await sleep(POLL_MS);
    return waitForCount(`waiting for ${variant.name} instances to complete`, () => (failed ? Promise.reject(new Error('aborted')) : completedRows()), n, 20);
  })();
  allCompleted.catch(() => undefined);
  await pool([...ids], concurrency, async (id) => {
    checkDeadline(`completing ${variant.name} tasks`);
    const t0 = performance.now();
    await variant.complete(id);
    while (!(await variant.movedOn(id))) {
      checkDeadline(`waiting for ${variant.name} to move past the task`);
      await sleep(POLL_MS);
    }
    latencies.push(performance.now() - t0);
  }).catch((err) => {
    failed = true;
    throw err;
  });
  return {
    n,
    startS: startedS,
    reachS: (tasksOpen - started0) / 1000,
    completeS: ((await allCompleted) - complete0) / 1000,
    latencies,
  };
}

// ---- the variants ----------------------------------------------------------------------------

function apiVariant(baseUrl: string, token: string, dv: DefinitionVersion): Variant {
  async function call(method: string, url: string, body?: unknown): Promise<any> {
    const res = await fetch(baseUrl + url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url}: HTTP ${res.status} ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : undefined;
  }
  return {
    name: 'interpreted/API',
    async start(businessKey) {
      const body = await call('POST', '/api/processes', { definitionId: dv.id, version: dv.version, businessKey, variables: { email: 'bench@example.com' } });
      return body.id as string;
    },
    async complete(id) {
      await call('POST', `/api/tasks/${encodeURIComponent(taskIdOf(id))}/complete`, { outcome: 'approved', data: {} });
    },
    async movedOn(id) {
      const p = await call('GET', `/api/processes/${id}`);
      return p.status === 'completed' || (Array.isArray(p.currentSteps) && !p.currentSteps.includes(TASK_STEP));
    },
  };
}

function clientVariant(client: Client, taskQueue: string, dv: DefinitionVersion): Variant {
  const actor = { username: USER.username, roles: USER.roles };
  return {
    name: 'interpreted/client',
    async start(businessKey) {
      const instanceId = randomUUID();
      const input: InterpreterInput = { instanceId, definition: dv, businessKey, variables: { email: 'bench@example.com' }, startedBy: USER.username };
      await client.workflow.start(INTERPRETER_WORKFLOW, { taskQueue, workflowId: instanceId, args: [input] });
      return instanceId;
    },
    async complete(id) {
      await client.workflow.getHandle(id).executeUpdate(completeTaskUpdate, { args: [{ taskId: taskIdOf(id), outcome: 'approved', data: {}, actor }] });
    },
    async movedOn(id) {
      const s = await client.workflow.getHandle(id).query(stateQuery);
      return s.status === 'completed' || !s.currentSteps.includes(TASK_STEP);
    },
  };
}

function handWrittenVariant(client: Client, taskQueue: string, dv: DefinitionVersion): Variant {
  const actor = { username: USER.username, roles: USER.roles };
  return {
    name: 'hand-written',
    async start(businessKey) {
      const instanceId = randomUUID();
      const input: HandWrittenInput = { instanceId, definitionId: dv.id, version: dv.version, businessKey, email: 'bench@example.com', startedBy: USER.username };
      await client.workflow.start(HAND_WRITTEN_WORKFLOW, { taskQueue, workflowId: instanceId, args: [input] });
      return instanceId;
    },
    async complete(id) {
      await client.workflow.getHandle(id).executeUpdate(handCompleteUpdate, { args: [{ taskId: taskIdOf(id), outcome: 'approved', actor }] });
    },
    async movedOn(id) {
      const s = await client.workflow.getHandle(id).query(handStateQuery);
      return s.status === 'completed' || s.currentStep !== TASK_STEP;
    },
  };
}

/** The interpreter's task id is the step context key `${instanceId}:${stepId}:${visit}`; so is the hand-written one. */
const taskIdOf = (instanceId: string) => `${instanceId}:${TASK_STEP}:1`;

// ---- servers ---------------------------------------------------------------------------------

/** The shared start sequence; on an existing Postgres (DATABASE_URL), a throwaway database of its own. */
async function startBenchServers(config: CauceConfig, tmpDir: string): Promise<{ databaseUrl: string; temporalAddress: string }> {
  const servers = await startServers(config, { dataDir: tmpDir });
  cleanups.push(...servers.stops);
  if (!config.database.url) return servers;
  const { url, cleanup } = await throwawayDatabase(servers.databaseUrl, 'cauce_bench');
  cleanups.push(cleanup);
  return { databaseUrl: url, temporalAddress: servers.temporalAddress };
}

function runWorker(name: string, worker: Worker): void {
  const done = worker.run();
  done.catch((err) => {
    log(`${name} worker failed: ${(err as Error).message}`);
    void cleanup().then(() => process.exit(1));
  });
  cleanups.push({
    name: `${name} worker`,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done.catch(() => undefined);
    },
  });
}

// ---- output ----------------------------------------------------------------------------------

function table(results: Record<string, Result>, opts: Options, load: { before: number; after: number }): string {
  const api = results['interpreted/API'];
  const direct = results['interpreted/client'];
  const hand = results['hand-written'];
  const fmt = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
  const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : 'n/a');
  const rows: Array<[string, number, number, number, number]> = [
    ['started/s', api.startedPerS, direct.startedPerS, hand.startedPerS, 1],
    ['reached user task/s', api.reachedTaskPerS, direct.reachedTaskPerS, hand.reachedTaskPerS, 1],
    ['completed/s', api.completedPerS, direct.completedPerS, hand.completedPerS, 1],
    ['task completion p50 (ms)', api.p50, direct.p50, hand.p50, 1],
    ['task completion p99 (ms)', api.p99, direct.p99, hand.p99, 1],
  ];
  const header = ['metric', 'interpreted/API', 'interpreted/client', 'hand-written', 'API/hand', 'client/hand'];
  const body = rows.map(([name, a, d, h, digits]) => [name, fmt(a, digits), fmt(d, digits), fmt(h, digits), ratio(a, h), ratio(d, h)]);
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const cpus = os.cpus();
  return [
    `Cauce bench: ${os.cpus().length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`,
    `N=${opts.instances} instances per variant in ${opts.rounds} rounds (order rotated), C=${opts.concurrency} concurrent clients, warm-up ${opts.warmup} per variant`,
    `definition bench-five-steps (5 steps, 1 user task); 1-min load average ${load.before.toFixed(2)} before, ${load.after.toFixed(2)} after`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
    'ratios are interpreted / hand-written: above 1x is better for started/s and completed/s, worse for latencies.',
  ].join('\n');
}

// ---- main ------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  deadline = Date.now() + opts.timeoutS * 1000;
  // Request logs of the API would interleave with the results; LOG_LEVEL=info brings them back.
  process.env.LOG_LEVEL ??= 'warn';
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });

  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'cauce-bench-'));
  // As root, Postgres runs as the `postgres` user and must pass through it.
  chmodSync(tmpDir, 0o711);
  const removeTmp = () => rmSync(tmpDir, { recursive: true, force: true });
  cleanups.push({ name: 'temp dir', stop: async () => removeTmp() });

  const base = loadConfig();
  const runTag = randomBytes(3).toString('hex');
  const interpreterQueue = `bench-interpreter-${runTag}`;
  const handQueue = `bench-hand-${runTag}`;

  log('starting Postgres and Temporal…');
  const { databaseUrl, temporalAddress } = await startBenchServers(base, tmpDir);
  // A crash skips cleanup(): the servers' own exit hooks (registered above) kill them, then this removes their data.
  process.once('exit', removeTmp);
  const config: CauceConfig = { ...base, temporal: { ...base.temporal, address: temporalAddress, taskQueue: interpreterQueue } };

  // One pool per part, as in production where the API and the worker are separate processes.
  const pools = { setup: createDb(databaseUrl, { poolMax: 2 }), api: createDb(databaseUrl), interpreter: createDb(databaseUrl), hand: createDb(databaseUrl) };
  for (const [name, db] of Object.entries(pools)) cleanups.push({ name: `${name} pool`, stop: () => db.destroy() });
  const db = pools.setup;
  await migrateLatest(db);
  const { version: dv } = await deployDefinition(db, readFileSync(DEFINITION_FILE, 'utf8'), 'bench/five-steps.yaml', 'bench');
  await createUser(db, USER);

  log('bundling workflows and starting workers…');
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  cleanups.push({ name: 'worker connection', stop: () => nativeConnection.close() });
  runWorker('interpreter', await createWorker({ connection: nativeConnection, config, db: pools.interpreter, taskQueue: interpreterQueue }));
  runWorker('hand-written', await createHandWrittenWorker({ connection: nativeConnection, config, db: pools.hand, taskQueue: handQueue }));

  const connection = await Connection.connect({ address: temporalAddress });
  cleanups.push({ name: 'client connection', stop: () => connection.close() });
  const client = new Client({ connection, namespace: config.temporal.namespace });

  // Loaded here so LOG_LEVEL above applies to the API logger.
  const { createApp } = await import('../api/app');
  const server: Server = createApp({ db: pools.api, temporal: client, config }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  cleanups.push({
    name: 'HTTP server',
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: USER.username, password: USER.password }),
  });
  if (!login.ok) throw new Error(`login failed: HTTP ${login.status} ${await login.text()}`);
  const { token } = (await login.json()) as { token: string };

  const variants = [apiVariant(baseUrl, token, dv), clientVariant(client, interpreterQueue, dv), handWrittenVariant(client, handQueue, dv)];

  if (opts.warmup > 0) {
    log(`warming up (${opts.warmup} instances each)…`);
    for (const v of variants) await runVariant(v, db, opts.warmup, Math.min(opts.concurrency, opts.warmup), `warmup-${runTag}-${v.name.replace(/\W/g, '')}`);
  }

  // Rounds rotate the order of the variants, so a slow patch of the machine (or the servers'
  // growing state) is spread over all three instead of landing on whichever runs last.
  const samples = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));
  const loadBefore = os.loadavg()[0];
  for (let round = 0; round < opts.rounds; round++) {
    const n = Math.floor(opts.instances / opts.rounds) + (round < opts.instances % opts.rounds ? 1 : 0);
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(round + k) % variants.length];
      const sample = await runVariant(v, db, n, opts.concurrency, `${runTag}-r${round}-${v.name.replace(/\W/g, '')}`);
      samples.get(v.name)!.push(sample);
      const r = aggregate([sample]);
      log(
        `round ${round + 1}/${opts.rounds} ${v.name.padEnd(18)} n=${n}: ${r.startedPerS.toFixed(1)} started/s, ${r.reachedTaskPerS.toFixed(1)} reached task/s, ` +
          `${r.completedPerS.toFixed(1)} completed/s, p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms`,
      );
    }
  }
  const results = Object.fromEntries([...samples].map(([name, s]) => [name, aggregate(s)]));
  const load = { before: loadBefore, after: os.loadavg()[0] };
  process.stdout.write(`\n${table(results, opts, load)}\n`);
}

let firstSignalAt: number | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (firstSignalAt === undefined) {
      firstSignalAt = Date.now();
      interrupted = true;
      log(`${signal}: stopping…`);
      void cleanup().then(() => process.exit(130));
    } else if (Date.now() - firstSignalAt > 1_000) {
      // The servers' exit hooks (scripts/servers) still kill them; npm/tsx relay one Ctrl-C more than once.
      process.exit(130);
    }
  });
}
main().then(
  () => cleanup().then(() => process.exit(0)),
  (err: Error) => {
    if (interrupted) return; // the signal handler cleans up and exits
    const cause = (err as { cause?: Error }).cause;
    process.stderr.write(`[bench] failed: ${err.stack ?? err.message}${cause ? `\ncaused by: ${cause.stack ?? cause.message}` : ''}\n`);
    void cleanup().then(() => process.exit(1));
  },
);
