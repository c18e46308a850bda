/**
 * The pipeline board at scale (issue 11): 10,000 running leads spread over the lead definition's stages
 * (besides 10,000 instances of another definition), on a real, throwaway Postgres. Walks every column
 * page by page through the board service (the column page query, the open tasks of its cards, their
 * moves) and, as the baseline measured in the same run, the bare keyset query of the same pages. Prints
 * p50/p99 per page, and the ratio. The target is a p99 under 50 ms per column page.
 *
 *   npm run bench:board [-- --leads 10000 --pageSize 25]
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBoardService } from '../api/boards/service';
import { createDb, migrateLatest } from '../lib/db';
import { deployFolder } from '../lib/definitions/store';
import { wholeNumberOption } from './options';
import { percentile } from './stats';
import { throwawayPostgres } from './throwaway-postgres';

const log = (message: string) => process.stderr.write(`[bench:board] ${message}\n`);
const STAGES: Array<[stage: string, share: number]> = [['new', 0.4], ['qualified', 0.25], ['proposal-declined', 0.1], ['won', 0.05], ['customer', 0.05], ['invoiced', 0.1], ['lost', 0.05]];

async function main(): Promise<void> {
  const leads = wholeNumberOption('leads', 10_000);
  const pageSize = wholeNumberOption('pageSize', 25);
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'cauce-bench-board-'));
  chmodSync(tmpDir, 0o711);
  const { url, cleanup } = await throwawayPostgres(tmpDir, 'cauce_board');
  const db = createDb(url, { poolMax: 4 });
  try {
    await migrateLatest(db);
    await deployFolder(db, path.join(__dirname, '../definitions'), 'bench');
    log(`creating ${leads} leads over ${STAGES.length} stages, ${leads} other instances, and the open tasks of the new ones…`);
    const t0 = Date.parse('2026-06-01T00:00:00Z');
    const stageOf = (i: number) => {
      let at = (i % 100) / 100;
      for (const [stage, share] of STAGES) if ((at -= share) < 0) return stage;
      return 'lost';
    };
    for (let from = 0; from < leads; from += 1000) {
      const n = Math.min(1000, leads - from);
      const rows = Array.from({ length: n }, (_, k) => {
        const i = from + k;
        return { id: `lead-to-customer/bench-${i}`, workflow_id: `lead-to-customer/bench-${i}`, definition_id: 'lead-to-customer', version: 1, business_key: `bench-${i}`, status: 'running', stage: stageOf(i), started_by: i % 3 ? 'valentina' : 'intake:web-form', started_at: new Date(t0 + i * 60_000), variables: JSON.stringify({ contact: { name: `Lead ${i}`, email: `lead${i}@bench.example` }, company: { name: `Empresa ${i}` } }) };
      });
      await db('process_instances').insert(rows);
      await db('process_instances').insert(rows.map((r) => ({ ...r, id: r.id.replace('lead-to-customer', 'assisted-sale'), workflow_id: r.workflow_id.replace('lead-to-customer', 'assisted-sale'), definition_id: 'assisted-sale' })));
      await db('tasks').insert(rows.filter((r) => r.stage === 'new').map((r) => ({ id: `${r.id}:qualify`, instance_id: r.id, step_id: 'qualify', title: 'Qualify', candidate_roles: ['sales'], outcomes: ['qualified', 'notAFit'] })));
    }
    await db.raw('analyze');

    const sales = { id: 'valentina', username: 'valentina', roles: ['sales'] };
    const boards = createBoardService({ db });
    const served: number[] = [];
    const bare: number[] = [];
    let cards = 0;
    for (const [stage] of STAGES) {
      let after: string | undefined;
      let cursor: { startedAt: Date; id: string } | null = null;
      do {
        const s0 = performance.now();
        const page = await boards.column(sales, 'lead-to-customer', stage, { limit: pageSize, ...(after ? { after } : {}) });
        served.push(performance.now() - s0);
        cards += page.items.length;
        after = page.next ?? undefined;

        const b0 = performance.now();
        const q = db('process_instances').where({ definition_id: 'lead-to-customer', status: 'running', stage });
        if (cursor) q.whereRaw('(started_at, id) < (?, ?)', [cursor.startedAt, cursor.id]);
        const rows: Array<{ id: string; started_at: Date }> = await q.select('id', 'started_at').orderBy([{ column: 'started_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(pageSize);
        bare.push(performance.now() - b0);
        cursor = rows.length ? { startedAt: rows[rows.length - 1].started_at, id: rows[rows.length - 1].id } : null;
      } while (after);
    }
    served.sort((a, b) => a - b);
    bare.sort((a, b) => a - b);
    const cpus = os.cpus();
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    process.stdout.write([
      '',
      `Cauce board bench: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), Node ${process.version}; 1-min load ${os.loadavg()[0].toFixed(2)}`,
      `${leads} leads over ${STAGES.length} columns (+${leads} instances of another definition), pages of ${pageSize}, every page of every column walked`,
      `pages                ${served.length} (${cards} cards)`,
      `column page p50      ${ms(percentile(served, 50))}   (bare keyset query ${ms(percentile(bare, 50))})`,
      `column page p99      ${ms(percentile(served, 99))}   (bare keyset query ${ms(percentile(bare, 99))}; target under 50 ms)`,
      `p99 ratio to bare    ${(percentile(served, 99) / percentile(bare, 99)).toFixed(2)}x`,
      '',
    ].join('\n'));
    if (cards !== leads) process.exitCode = 1;
  } finally {
    await db.destroy();
    await cleanup.stop();
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
