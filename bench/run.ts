/**
 * `npm run bench [-- --instances N --concurrency C --rounds R --warmup W --latency L --cached K --timeline-events E --timeout S]`
 *
 * Starts its own throwaway servers (embedded Postgres + in-memory Temporal dev server, unless
 * DATABASE_URL / TEMPORAL_ADDRESS point at existing ones: then a throwaway database on that
 * Postgres and task queues of its own on that Temporal), deploys bench/five-steps.yaml, and runs
 * the same five steps four ways, one after the other, with N instances and C concurrent clients:
 *
 *   interpreted/API     POST /api/processes, POST /api/tasks/:id/complete, GET /api/processes/:id
 *   interpreted/client  the interpreter through the Temporal client (start, update, query): no HTTP
 *   hand-written        bench/hand-written/workflows.ts through the Temporal client
 *   raw Temporal        bench/raw/workflows.ts: the same messages and no activities (the ceiling)
 *
 * and prints started/s, completed/s and the p50/p99 latency of a task completion (request sent →
 * next step visible), with the ratios to the hand-written workflow and to raw Temporal; then each
 * variant's latency with one client in flight (L instances), the time to build the timeline of an
 * instance with E history events, and cached instances per GB of worker heap (K instances cached).
 * See bench/README.md. Bounded: N instances per variant and a global deadline; cleans up on exit
 * and on Ctrl-C.
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
import { completeTaskUpdate, stateQuery } from '../workflows/messages';
import type { DefinitionVersion } from '../workflows/model';
import { createWorker } from '../worker/create-worker';
import { HAND_WRITTEN_WORKFLOW, handCompleteUpdate, handStateQuery, type HandWrittenInput } from './hand-written/workflows';
import { createBaselineWorker } from './baseline-worker';
import { measureCachedInstances, type CacheMeasurement } from './cached-instances';
import { startInterpreted } from './interpreted-start';
import { RAW_WORKFLOW, rawCompleteUpdate, rawStateQuery, type RawInput } from './raw/workflows';
import { measureTimeline, type TimelineMeasurement } from './timeline-size';
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
  /** Instances per variant for the latency at one client. */
  latency: number;
  /** Instances kept in the cache-size measurement. */
  cached: number;
  /** History events of the instance whose timeline is built. */
  timelineEvents: number;
  timeoutS: number;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { instances: 200, concurrency: 20, warmup: 10, rounds: 4, latency: 50, cached: 200, timelineEvents: 1000, timeoutS: 900 };
  const names: Record<string, keyof Options> = {
    '--instances': 'instances',
    '--concurrency': 'concurrency',
    '--rounds': 'rounds',
    '--warmup': 'warmup',
    '--latency': 'latency',
    '--cached': 'cached',
    '--timeline-events': 'timelineEvents',
    '--timeout': 'timeoutS',
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(
        'npm run bench -- [--instances N=200] [--concurrency C=20] [--rounds R=4] [--warmup W=10] [--latency L=50] [--cached K=200] [--timeline-events E=1000] [--timeout SECONDS=900]\n',
      );
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
  /** Completes the instance's user task; resolves when the request returns: true when its answer says the instance moved past the task. */
  complete(instanceId: string): Promise<boolean>;
  /** One look (a read of its own): has the instance moved past the user task? */
  movedOn(instanceId: string): Promise<boolean>;
  /** Resolves with performance.now() once every instance waits at its user task. */
  atTask(ids: string[]): Promise<number>;
  /** Resolves with performance.now() once every instance has completed. */
  allCompleted(ids: string[]): Promise<number>;
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

async function runVariant(variant: Variant, n: number, concurrency: number, tag: string): Promise<Sample> {
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
  const tasksOpen = await variant.atTask(ids);

  // (2) Complete each task, C at a time; latency = request sent → next step visible (the workflow's
  // own view: GET /api/processes/:id or the state query). completed/s = instances that reached
  // `completed` per second, from the first completion request to the last completed instance.
  const latencies: number[] = [];
  const complete0 = performance.now();
  const allCompleted = variant.allCompleted(ids);
  allCompleted.catch(() => undefined);
  await pool([...ids], concurrency, async (id) => {
    checkDeadline(`completing ${variant.name} tasks`);
    const t0 = performance.now();
    let moved = await variant.complete(id);
    while (!moved && !(moved = await variant.movedOn(id))) {
      checkDeadline(`waiting for ${variant.name} to move past the task`);
      await sleep(POLL_MS);
    }
    latencies.push(performance.now() - t0);
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

/** Progress as the database shows it (task rows, instance rows): the variants that write it. */
function databaseProgress(probe: Knex, name: string): Pick<Variant, 'atTask' | 'allCompleted'> {
  const count = (query: Knex.QueryBuilder) => query.count({ n: '*' }).first().then((r: any) => Number(r?.n));
  return {
    atTask: (ids) => waitForCount(`waiting for ${name} tasks to open`, () => count(probe('tasks').whereIn('instance_id', ids).andWhere({ status: 'open' })), ids.length, 20),
    allCompleted: async (ids) => {
      await sleep(POLL_MS);
      return waitForCount(`waiting for ${name} instances to complete`, () => count(probe('process_instances').whereIn('id', ids).andWhere({ status: 'completed' })), ids.length, 20);
    },
  };
}

/** An API caller signed in as the bench user. */
function apiCaller(baseUrl: string, token: string) {
  return async function call(method: string, url: string, body?: unknown): Promise<any> {
    const res = await fetch(baseUrl + url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url}: HTTP ${res.status} ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : undefined;
  };
}

function apiVariant(call: ReturnType<typeof apiCaller>, probe: Knex, dv: DefinitionVersion): Variant {
  return {
    name: 'interpreted/API',
    ...databaseProgress(probe, 'interpreted/API'),
    async start(businessKey) {
      const body = await call('POST', '/api/processes', { definitionId: dv.id, version: dv.version, businessKey, variables: { email: 'bench@example.com' } });
      return body.id as string;
    },
    async complete(id) {
      const answer = await call('POST', `/api/tasks/${encodeURIComponent(taskIdOf(id))}/complete`, { outcome: 'approved', data: {} });
      return answer.instance !== undefined && movedPast(answer.instance);
    },
    async movedOn(id) {
      return movedPast(await call('GET', `/api/processes/${id}`));
    },
  };
}

function clientVariant(client: Client, probe: Knex, taskQueue: string, dv: DefinitionVersion): Variant {
  const actor = { username: USER.username, roles: USER.roles };
  return {
    name: 'interpreted/client',
    ...databaseProgress(probe, 'interpreted/client'),
    start: (businessKey) => startInterpreted(client, taskQueue, dv, businessKey, USER.username),
    async complete(id) {
      const answer = await client.workflow.getHandle(id).executeUpdate(completeTaskUpdate, { args: [{ taskId: taskIdOf(id), outcome: 'approved', data: {}, actor }] });
      return answer.instance !== undefined && movedPast(answer.instance);
    },
    movedOn: async (id) => movedPast(await client.workflow.getHandle(id).query(stateQuery)),
  };
}

function handWrittenVariant(client: Client, probe: Knex, taskQueue: string, dv: DefinitionVersion): Variant {
  const actor = { username: USER.username, roles: USER.roles };
  return {
    name: 'hand-written',
    ...databaseProgress(probe, 'hand-written'),
    async start(businessKey) {
      const instanceId = randomUUID();
      const input: HandWrittenInput = { instanceId, definitionId: dv.id, version: dv.version, businessKey, email: 'bench@example.com', startedBy: USER.username };
      await client.workflow.start(HAND_WRITTEN_WORKFLOW, { taskQueue, workflowId: instanceId, args: [input] });
      return instanceId;
    },
    async complete(id) {
      const answer = await client.workflow.getHandle(id).executeUpdate(handCompleteUpdate, { args: [{ taskId: taskIdOf(id), outcome: 'approved', actor }] });
      return answer.currentStep !== TASK_STEP;
    },
    async movedOn(id) {
      const s = await client.workflow.getHandle(id).query(handStateQuery);
      return s.status === 'completed' || s.currentStep !== TASK_STEP;
    },
  };
}

/** No database: at its task once its first workflow task ran (it answers the query), done once its result is in. */
function rawVariant(client: Client, taskQueue: string): Variant {
  const actor = { username: USER.username, roles: USER.roles };
  const state = (id: string) => client.workflow.getHandle(id).query(rawStateQuery);
  return {
    name: 'raw Temporal',
    async start() {
      const instanceId = randomUUID();
      const input: RawInput = { instanceId };
      await client.workflow.start(RAW_WORKFLOW, { taskQueue, workflowId: instanceId, args: [input] });
      return instanceId;
    },
    async complete(id) {
      const answer = await client.workflow.getHandle(id).executeUpdate(rawCompleteUpdate, { args: [{ taskId: taskIdOf(id), outcome: 'approved', actor }] });
      return answer.currentStep !== TASK_STEP;
    },
    async movedOn(id) {
      const s = await state(id);
      return s.status === 'completed' || s.currentStep !== TASK_STEP;
    },
    async atTask(ids) {
      await pool(ids, 20, async (id) => {
        while ((await state(id)).currentStep !== TASK_STEP) {
          checkDeadline('waiting for raw Temporal instances to start');
          await sleep(POLL_MS);
        }
      });
      return performance.now();
    },
    async allCompleted(ids) {
      await Promise.all(ids.map((id) => client.workflow.getHandle(id).result()));
      return performance.now();
    },
  };
}

/** The interpreter's view (a completion's answer, GET /api/processes/:id, the state query): past the user task? */
function movedPast(view: { status?: string; currentSteps?: unknown }): boolean {
  return view.status === 'completed' || (Array.isArray(view.currentSteps) && !view.currentSteps.includes(TASK_STEP));
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

const API = 'interpreted/API';
const CLIENT = 'interpreted/client';
const HAND = 'hand-written';
const RAW = 'raw Temporal';

const fmt = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : 'n/a');

function table(results: Record<string, Result>, opts: Options, load: { before: number; after: number }): string {
  const [api, direct, hand, raw] = [API, CLIENT, HAND, RAW].map((name) => results[name]);
  const metric = (name: string, f: (r: Result) => number) => {
    const [a, d, h, w] = [api, direct, hand, raw].map(f);
    return [name, fmt(a, 1), fmt(d, 1), fmt(h, 1), fmt(w, 1), ratio(a, h), ratio(d, h), ratio(a, w), ratio(d, w)];
  };
  const body = [
    metric('started/s', (r) => r.startedPerS),
    metric('reached user task/s', (r) => r.reachedTaskPerS),
    metric('completed/s', (r) => r.completedPerS),
    metric('task completion p50 (ms)', (r) => r.p50),
    metric('task completion p99 (ms)', (r) => r.p99),
  ];
  const header = ['metric', API, CLIENT, HAND, RAW, 'API/hand', 'client/hand', 'API/raw', 'client/raw'];
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
    'ratios: above 1x is better for started/s and completed/s, worse for latencies.',
  ].join('\n');
}

/** The lines the issue's targets are read from (bench/README.md). */
function summary(results: Record<string, Result>, oneClient: Record<string, Result>, timeline: TimelineMeasurement, cache: CacheMeasurement): string {
  const completed = (name: string) => results[name].completedPerS;
  return [
    ...[API, CLIENT, HAND, RAW].map((name) => `${name} latency at 1 client: p50 ${fmt(oneClient[name].p50, 1)} ms, p99 ${fmt(oneClient[name].p99, 1)} ms`),
    `completed/s client/hand: ${ratio(completed(CLIENT), completed(HAND))}`,
    `completed/s API/hand: ${ratio(completed(API), completed(HAND))}`,
    `completed/s interpreted vs raw Temporal: client/raw ${ratio(completed(CLIENT), completed(RAW))}, API/raw ${ratio(completed(API), completed(RAW))}`,
    `timeline of ${timeline.events} history events (${timeline.entries} entries): build p50 ${fmt(timeline.buildP50, 1)} ms (max ${fmt(timeline.buildMax, 1)} ms); ` +
      `fetching the history p50 ${fmt(timeline.fetchP50, 1)} ms; GET /api/processes/:id/history p50 ${fmt(timeline.routeP50, 1)} ms`,
    `cached instances per GB of worker heap: ${fmt(cache.perGiB, 0)} (${cache.n} interpreter instances waiting at their task, ${cache.cached} cached by the worker, ` +
      `${fmt(cache.bytesPerInstance / 1024, 1)} KiB of heap each)`,
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
  runWorker('hand-written', await createBaselineWorker({ connection: nativeConnection, config, db: pools.hand, taskQueue: handQueue, workflowsPath: require.resolve('./hand-written/workflows') }));

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

  const rawQueue = `bench-raw-${runTag}`;
  runWorker('raw', await createBaselineWorker({ connection: nativeConnection, config, taskQueue: rawQueue, workflowsPath: require.resolve('./raw/workflows') }));
  const call = apiCaller(baseUrl, token);
  const variants = [apiVariant(call, db, dv), clientVariant(client, db, interpreterQueue, dv), handWrittenVariant(client, db, handQueue, dv), rawVariant(client, rawQueue)];
  const tagOf = (v: Variant, what: string) => `${what}-${runTag}-${v.name.replace(/\W/g, '')}`;

  if (opts.warmup > 0) {
    log(`warming up (${opts.warmup} instances each)…`);
    for (const v of variants) await runVariant(v, opts.warmup, Math.min(opts.concurrency, opts.warmup), tagOf(v, 'warmup'));
  }

  // Rounds rotate the order of the variants, so a slow patch of the machine (or the servers'
  // growing state) is spread over all of them instead of landing on whichever runs last.
  const samples = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));
  const loadBefore = os.loadavg()[0];
  for (let round = 0; round < opts.rounds; round++) {
    const n = Math.floor(opts.instances / opts.rounds) + (round < opts.instances % opts.rounds ? 1 : 0);
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(round + k) % variants.length];
      const sample = await runVariant(v, n, opts.concurrency, tagOf(v, `r${round}`));
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

  // One client in flight: the latency of a task completion with nothing else queued before it.
  log(`latency at 1 client (${opts.latency} instances each)…`);
  const oneClient: Record<string, Result> = {};
  for (const v of variants) oneClient[v.name] = aggregate([await runVariant(v, opts.latency, 1, tagOf(v, 'one'))]);

  log(`timeline of an instance with ${opts.timelineEvents} history events…`);
  const api = variants[0];
  const timelineId = await api.start(`timeline-${runTag}`);
  await api.atTask([timelineId]);
  const timeline = await measureTimeline({ call, client, db, instanceId: timelineId, taskId: taskIdOf(timelineId), events: opts.timelineEvents });

  log(`heap of ${opts.cached} cached instances…`);
  const cache = await measureCachedInstances({
    connection: nativeConnection,
    client,
    config,
    db: pools.interpreter,
    dv,
    taskQueue: `bench-cache-${runTag}`,
    n: opts.cached,
    waitForOpenTasks: (ids) => api.atTask(ids),
  });

  process.stdout.write(`\n${table(results, opts, load)}\n\n${summary(results, oneClient, timeline, cache)}\n`);
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
