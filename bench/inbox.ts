/**
 * `npm run bench:inbox [-- --queries N --warmup W]` (or `npx tsx bench/inbox.ts`)
 *
 * The task inbox (GET /api/tasks) at 1k and at 100k open tasks. Starts a throwaway embedded
 * Postgres on 127.0.0.1 (scripts/servers/postgres, as bench/run.ts does; with DATABASE_URL set, a
 * throwaway database `cauce_inbox_<random>` on that server instead, dropped at the end), migrates,
 * bulk-inserts 1,000 open tasks (`insert … select … from generate_series`), then measures
 * through `createTaskService(…).list(user, query)` — the function the GET /api/tasks handler calls,
 * so the store's SQL (join to process_instances, ORDER BY, LIMIT/OFFSET and the count) runs as in
 * production; HTTP, auth and JSON encoding are left out (no Temporal server: `list` never uses it):
 *
 *   role inbox       GET /api/tasks                as a user holding one role among 20
 *   assignee inbox   GET /api/tasks?assignee=me    as the same user
 *   role filter      GET /api/tasks?role=<role>    the same, narrowed to the role explicitly
 *   admin all open   GET /api/tasks                as an admin (first page, no visibility filter)
 *
 * then grows the table to 100,000 open + 200,000 completed tasks and measures again. Prints p50/p99
 * of N sequential calls per query at both sizes, the ratio 100k / 1k (the 1k run is the baseline),
 * and the EXPLAIN (ANALYZE, BUFFERS) of both statements of each query at 100k (its top node and
 * how `tasks` is read). Bounded (N calls per query), cleans up on exit and on Ctrl-C.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { Client as PgClient } from 'pg';
import type { AppDeps } from '../api/deps';
import type { ListTasksQuery } from '../api/tasks/schemas';
import { createTaskService } from '../api/tasks/service';
import type { SessionUser } from '../api/types';
import { createDb, migrateLatest } from '../lib/db';
import { throwawayPostgres } from './throwaway-postgres';
import { percentile } from './stats';

// ---- data shape ------------------------------------------------------------------------------

const ROLES = Array.from({ length: 20 }, (_, i) => `role-${String(i + 1).padStart(2, '0')}`);
/** Zipf (s = 1) over the 20 roles: role-01 ≈ 28 % of tasks, role-05 ≈ 5.6 %, role-20 ≈ 1.4 %. */
const ROLE_WEIGHTS = ROLES.map((_, i) => 1 / (i + 1));
/** Share of tasks with a second candidate role (a different one, drawn the same way). */
const TWO_ROLES = 0.15;
/** Share of open tasks claimed by someone, over USERS users. */
const CLAIMED = 0.2;
const USERS = 100;
const user = (i: number) => `user-${String(i).padStart(3, '0')}`;

const SMALL_OPEN = 1_000;
const LARGE_OPEN = 100_000;
const LARGE_COMPLETED = 200_000;

/** The user measured: holds one mid-popular role, and (like everyone) has claimed and completed some tasks. */
const READER: SessionUser = { id: '1', username: user(7), roles: ['role-05'] };
const ADMIN: SessionUser = { id: '2', username: 'bench-admin', roles: ['admin'] };

interface InboxQuery {
  name: string;
  user: SessionUser;
  query: ListTasksQuery;
  shows: string;
}
/** The query string as the route hands it over: ListTasksQuery with its defaults filled in by validation. */
const query = (q: Partial<ListTasksQuery> = {}): ListTasksQuery => ({ status: 'open', limit: 50, offset: 0, ...q });
const QUERIES: InboxQuery[] = [
  { name: 'role inbox', user: READER, query: query(), shows: `GET /api/tasks as ${READER.username} [${READER.roles}]` },
  { name: 'assignee inbox', user: READER, query: query({ assignee: 'me' }), shows: `GET /api/tasks?assignee=me as ${READER.username}` },
  { name: 'role filter', user: READER, query: query({ role: READER.roles[0] }), shows: `GET /api/tasks?role=${READER.roles[0]} as ${READER.username}` },
  { name: 'admin all open', user: ADMIN, query: query(), shows: 'GET /api/tasks as admin' },
];

// ---- arguments -------------------------------------------------------------------------------

function parseArgs(argv: string[]): { queries: number; warmup: number } {
  const opts = { queries: 200, warmup: 20 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag === '--help' || flag === '-h') {
      process.stdout.write('npm run bench:inbox -- [--queries N=200] [--warmup W=20]\n');
      process.exit(0);
    }
    const key = ({ '--queries': 'queries', '--warmup': 'warmup' } as const)[flag];
    if (!key) throw new Error(`unknown option ${argv[i]} (try --help)`);
    const raw = inline ?? argv[++i];
    const value = Number(raw);
    if (!Number.isInteger(value) || value < (key === 'queries' ? 1 : 0) || value > 10_000) throw new Error(`${flag} needs an integer in 0..10000, got ${raw}`);
    opts[key] = value;
  }
  return opts;
}

// ---- lifecycle -------------------------------------------------------------------------------

const cleanups: Array<{ name: string; stop: () => Promise<unknown> }> = [];
let stopping: Promise<void> | undefined;
function cleanup(): Promise<void> {
  stopping ??= (async () => {
    for (const { name, stop } of cleanups.reverse()) {
      await stop().catch((err) => log(`stopping ${name} failed: ${(err as Error).message}`));
    }
    cleanups.length = 0;
  })();
  return stopping;
}
let interrupted = false;
const log = (message: string) => process.stderr.write(`[bench:inbox] ${message}\n`);


// ---- data ------------------------------------------------------------------------------------

/** Thresholds for width_bucket(random(), …): 0-based index into ROLES, Zipf-weighted. */
function roleThresholds(): number[] {
  const total = ROLE_WEIGHTS.reduce((a, b) => a + b, 0);
  let acc = 0;
  return ROLE_WEIGHTS.slice(0, -1).map((w) => (acc += w / total));
}

/**
 * Instances `bench-<from..to>`, each with one open task (`review`); created over the last 30 days,
 * 40 % with a due date within ±10 days, 15 % with two candidate roles, 20 % claimed.
 */
async function insertOpen(db: Knex, from: number, to: number): Promise<void> {
  await db.raw(
    `insert into process_instances (id, definition_id, version, business_key, status, stage, started_by, started_at)
     select 'bench-' || g, 'bench-inbox', 1, 'BK-' || g, 'running', 'review', 'bench', now() - interval '30 days' * random()
     from generate_series(?::int, ?::int) g`,
    [from, to],
  );
  await db.raw(
    `with s as (
       select g, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6, random() r7
       from generate_series(?::int, ?::int) g
     ), picked as (
       select s.*, width_bucket(r1, ?::float8[]) a,
              (width_bucket(r1, ?::float8[]) + 1 + floor(r3 * 19)::int) % 20 b
       from s
     )
     insert into tasks (id, instance_id, step_id, title, candidate_roles, assignee, claimed_at, status, outcomes, due_at, created_at)
     select 'bench-' || g || ':review:1', 'bench-' || g, 'review', 'Review ' || g,
            case when r2 < ? then array[(?::text[])[a + 1], (?::text[])[b + 1]] else array[(?::text[])[a + 1]] end,
            case when r4 < ? then 'user-' || lpad(floor(r5 * ?)::int::text, 3, '0') end,
            case when r4 < ? then now() - interval '1 day' * r5 end,
            'open', '{approved,rejected}',
            case when r6 < 0.4 then now() + interval '20 days' * (r7 - 0.5) end,
            now() - interval '30 days' * r7
     from picked`,
    [from, to, roleThresholds(), roleThresholds(), TWO_ROLES, ROLES, ROLES, ROLES, CLAIMED, USERS, CLAIMED],
  );
}

/** `count` completed tasks (earlier steps `intake`, `qualify`, …) spread over instances 1..instances. */
async function insertCompleted(db: Knex, count: number, instances: number): Promise<void> {
  await db.raw(
    `with s as (
       select g, random() r1, random() r2, random() r3, random() r5, random() r7
       from generate_series(0, ?::int - 1) g
     )
     insert into tasks (id, instance_id, step_id, title, candidate_roles, assignee, claimed_at, status, outcomes, outcome,
                        data, due_at, created_at, completed_by, completed_at)
     select 'bench-' || (g % ?::int + 1) || ':done' || (g / ?::int) || ':1', 'bench-' || (g % ?::int + 1), 'done' || (g / ?::int),
            'Earlier step', case when r2 < ? then array[(?::text[])[width_bucket(r1, ?::float8[]) + 1], (?::text[])[(width_bucket(r1, ?::float8[]) + 1 + floor(r3 * 19)::int) % 20 + 1]]
                                 else array[(?::text[])[width_bucket(r1, ?::float8[]) + 1]] end,
            'user-' || lpad(floor(r5 * ?)::int::text, 3, '0'), now() - interval '40 days' * r7,
            'completed', '{approved,rejected}', 'approved', '{}', null, now() - interval '60 days' * r7,
            'user-' || lpad(floor(r5 * ?)::int::text, 3, '0'), now() - interval '30 days' * r7
     from s`,
    [count, instances, instances, instances, instances, TWO_ROLES, ROLES, roleThresholds(), ROLES, roleThresholds(), ROLES, roleThresholds(), USERS, USERS],
  );
}

async function settle(db: Knex): Promise<void> {
  // What autovacuum would have done by the time a table holds this many rows: fresh statistics, visibility map.
  await db.raw('vacuum analyze tasks');
  await db.raw('vacuum analyze process_instances');
}

// ---- measurement -----------------------------------------------------------------------------

interface Measured {
  p50: number;
  p99: number;
  rows: number;
  total: number;
}

type Service = ReturnType<typeof createTaskService>;

/** `n` sequential calls after `warmup` discarded ones; ms per call. */
async function measure(service: Service, q: InboxQuery, n: number, warmup: number): Promise<Measured> {
  let last: Awaited<ReturnType<Service['list']>> | undefined;
  for (let i = 0; i < warmup; i++) last = await service.list(q.user, q.query);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    if (interrupted) throw new Error('interrupted');
    const t0 = performance.now();
    last = await service.list(q.user, q.query);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), rows: last!.items.length, total: last!.total };
}

/** The SQL statements one call issues, as knex sends them (placeholders $1…, bindings). */
async function captureSql(db: Knex, service: Service, q: InboxQuery): Promise<Array<{ sql: string; bindings: unknown[] }>> {
  const seen: Array<{ sql: string; bindings: unknown[] }> = [];
  const listener = (data: { sql: string; bindings?: unknown[] }) => seen.push({ sql: data.sql, bindings: data.bindings ?? [] });
  db.on('query', listener);
  try {
    await service.list(q.user, q.query);
  } finally {
    db.removeListener('query', listener);
  }
  return seen;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Alias?: string;
  'Actual Total Time'?: number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Workers Launched'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  'Sort Method'?: string;
  Plans?: PlanNode[];
}

function describe(node: PlanNode): string {
  const on = node['Relation Name'] ? ` on ${node['Relation Name']}${node.Alias && node.Alias !== node['Relation Name'] ? ` ${node.Alias}` : ''}` : '';
  const index = node['Index Name'] ? ` using ${node['Index Name']}` : '';
  const sort = node['Sort Method'] ? ` (${node['Sort Method']})` : '';
  const buffers = node['Shared Hit Blocks'] !== undefined ? `, buffers hit=${node['Shared Hit Blocks']} read=${node['Shared Read Blocks'] ?? 0}` : '';
  const loops = (node['Actual Loops'] ?? 1) > 1 ? ` x ${node['Actual Loops']} loops` : '';
  const workers = node['Workers Launched'] !== undefined ? ` (${node['Workers Launched']} workers)` : '';
  return `${node['Node Type']}${on}${index}${sort}${workers}: ${node['Actual Rows']} rows${loops}, ${node['Actual Total Time']?.toFixed(2)} ms${buffers}`;
}

/** Top node, any Gather, and every node that reads a table or an index (with what it read through). */
async function explain(pg: PgClient, sql: string, bindings: unknown[]): Promise<string[]> {
  const { rows } = await pg.query(`explain (analyze, buffers, format json) ${sql}`, bindings as unknown[]);
  const plan = (rows[0]['QUERY PLAN'] as Array<{ Plan: PlanNode; 'Execution Time': number }>)[0];
  const out = [`top ${describe(plan.Plan)} (execution ${plan['Execution Time'].toFixed(2)} ms)`];
  const walk = (node: PlanNode) => {
    if (node !== plan.Plan && (node['Relation Name'] || node['Index Name'] || node['Node Type'].startsWith('Gather'))) out.push(`  ${describe(node)}`);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan.Plan);
  return out;
}

// ---- output ----------------------------------------------------------------------------------

function table(small: Measured[], large: Measured[]): string {
  const f = (v: number) => v.toFixed(2);
  const header = ['query', 'total@1k', 'p50@1k ms', 'p99@1k ms', 'total@100k', 'p50@100k ms', 'p99@100k ms', 'p50 100k/1k', 'p99 100k/1k'];
  const body = QUERIES.map((q, i) => [
    q.name,
    String(small[i].total),
    f(small[i].p50),
    f(small[i].p99),
    String(large[i].total),
    f(large[i].p50),
    f(large[i].p99),
    `${(large[i].p50 / small[i].p50).toFixed(2)}x`,
    `${(large[i].p99 / small[i].p99).toFixed(2)}x`,
  ]);
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

// ---- main ------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'cauce-bench-inbox-'));
  // As root, Postgres runs as the `postgres` user and must pass through it.
  chmodSync(tmpDir, 0o711);
  const removeTmp = () => rmSync(tmpDir, { recursive: true, force: true });
  cleanups.push({ name: 'temp dir', stop: async () => removeTmp() });

  log('starting Postgres…');
  const { url, cleanup: dropPostgres } = await throwawayPostgres(tmpDir, 'cauce_inbox');
  cleanups.push(dropPostgres);
  process.once('exit', removeTmp);
  const db = createDb(url);
  cleanups.push({ name: 'pool', stop: () => db.destroy() });
  const pg = new PgClient({ connectionString: url });
  await pg.connect();
  cleanups.push({ name: 'explain connection', stop: () => pg.end() });
  await migrateLatest(db);

  // `list` only reads the database; the Temporal client is for claim/complete, which this never calls.
  const service = createTaskService({ db, temporal: undefined, config: undefined } as unknown as AppDeps, undefined as never); // list() reads no documents

  const run = async (label: string) => {
    const results: Measured[] = [];
    for (const q of QUERIES) {
      const m = await measure(service, q, opts.queries, opts.warmup);
      log(`${label} ${q.name.padEnd(15)} total ${String(m.total).padStart(6)}, page ${m.rows}: p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms`);
      results.push(m);
    }
    return results;
  };

  log(`inserting ${SMALL_OPEN} open tasks…`);
  await insertOpen(db, 1, SMALL_OPEN);
  await settle(db);
  const small = await run('1k  ');

  log(`growing to ${LARGE_OPEN} open + ${LARGE_COMPLETED} completed tasks…`);
  const t0 = performance.now();
  for (let from = SMALL_OPEN + 1; from <= LARGE_OPEN; from += 25_000) await insertOpen(db, from, Math.min(LARGE_OPEN, from + 24_999));
  await insertCompleted(db, LARGE_COMPLETED, LARGE_OPEN);
  await settle(db);
  log(`inserted in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const large = await run('100k');

  const plans: string[] = [];
  for (const q of QUERIES) {
    plans.push(`${q.name} — ${q.shows}`);
    const statements = await captureSql(db, service, q);
    for (const { sql, bindings } of statements) {
      plans.push(`  ${/count\(\*\)/i.test(sql) ? 'count' : 'page '}  ${sql}`);
      plans.push(`         bindings ${JSON.stringify(bindings)}`);
      for (const l of await explain(pg, sql, bindings)) plans.push(`         ${l}`);
    }
  }

  const counts = (await db.raw(`select status, count(*)::int n from tasks group by status order by status`)).rows as Array<{ status: string; n: number }>;
  const cpus = os.cpus();
  const version = (await db.raw('show server_version')).rows[0].server_version;
  process.stdout.write(
    [
      '',
      `Cauce inbox bench: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, Postgres ${version}; 1-min load ${os.loadavg()[0].toFixed(2)}`,
      `${opts.queries} sequential calls per query after ${opts.warmup} warm-up, through createTaskService().list (GET /api/tasks without HTTP); page = 50`,
      `roles: 20, Zipf-weighted, ${TWO_ROLES * 100} % with two; ${CLAIMED * 100} % of open tasks claimed over ${USERS} users; at 100k: ${counts.map((c) => `${c.n} ${c.status}`).join(', ')}`,
      '',
      table(small, large),
      '',
      'ratios are 100k / 1k (the 1k run, same process, is the baseline). total = the count the API returns.',
      '',
      'EXPLAIN (ANALYZE, BUFFERS) at 100k:',
      ...plans,
      '',
    ].join('\n'),
  );
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping…`);
    void cleanup().then(() => process.exit(130));
  });
}
main().then(
  () => cleanup().then(() => process.exit(0)),
  (err: Error) => {
    if (interrupted) return;
    log(`failed: ${err.stack ?? err.message}`);
    void cleanup().then(() => process.exit(1));
  },
);
