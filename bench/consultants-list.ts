/**
 * The consultants list at scale (issue 12): 100,000 people of the sales force over 20 zones and every
 * state, on a real, throwaway Postgres. Asks the list as back office does (GET /api/consultants through
 * its service: the filtered page, its total and the presentation), filtered by state and zone, for
 * the first pages of each pair, and, as the baseline measured in the same run, the bare indexed query
 * of the same page. Prints p50/p99 and the ratio. The target is a p99 under 50 ms.
 *
 *   npm run bench:consultants [-- --consultants 100000 --pages 3]
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createConsultantService } from '../api/consultants/service';
import type { ProcessService } from '../api/processes/service';
import { createDb, migrateLatest } from '../lib/db';
import { wholeNumberOption } from './options';
import { percentile } from './stats';
import { throwawayPostgres } from './throwaway-postgres';

const log = (message: string) => process.stderr.write(`[bench:consultants] ${message}\n`);
const ZONES = Array.from({ length: 20 }, (_, i) => `zona-${String(i + 1).padStart(2, '0')}`);
const STATES: Array<[status: string, share: number]> = [['active', 0.6], ['inactive', 0.25], ['pre-registered', 0.1], ['rejected', 0.05]];
const PAGE = 50;

async function main(): Promise<void> {
  const total = wholeNumberOption('consultants', 100_000);
  const pages = wholeNumberOption('pages', 3);
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'cauce-bench-consultants-'));
  chmodSync(tmpDir, 0o711);
  const { url, cleanup } = await throwawayPostgres(tmpDir, 'cauce_consultants');
  const db = createDb(url, { poolMax: 4 });
  try {
    await migrateLatest(db);
    log(`creating ${total} consultants over ${ZONES.length} zones…`);
    const t0 = Date.parse('2025-01-01T00:00:00Z');
    const statusOf = (i: number) => {
      let at = (i % 100) / 100;
      for (const [status, share] of STATES) if ((at -= share) < 0) return status;
      return 'active';
    };
    for (let from = 0; from < total; from += 5000) {
      const rows = Array.from({ length: Math.min(5000, total - from) }, (_, k) => {
        const i = from + k;
        return {
          country: 'CO', document_type: 'CC', document_number: String(10_000_000 + i), email: `c${i}@bench.example`, name: `Consultora ${i}`, zone: ZONES[(i * 7) % ZONES.length],
          channel: 'corporate-site', form_type: 'short', status: statusOf(i), kind: i % 10 === 0 ? 'customer' : 'consultant', credit_limit: 0, idempotency_key: `bench:${i}`,
          created_at: new Date(t0 + i * 60_000),
        };
      });
      await db('consultants').insert(rows);
    }
    await db.raw('analyze consultants');

    // Back office reads the list; registration (the one use of the process service) is not called.
    const consultants = createConsultantService({ db }, {} as ProcessService);
    const backOffice = { id: 'back-office', username: 'back-office', roles: ['back-office'] };
    const served: number[] = [];
    const bare: number[] = [];
    for (const [status] of STATES) {
      for (const zone of ZONES) {
        for (let p = 0; p < pages; p++) {
          const s0 = performance.now();
          await consultants.list(backOffice, { status: status as never, zone, limit: PAGE, offset: p * PAGE });
          served.push(performance.now() - s0);
          const b0 = performance.now();
          await db('consultants').where({ status, zone }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(PAGE).offset(p * PAGE).select('id');
          bare.push(performance.now() - b0);
        }
      }
    }
    served.sort((a, b) => a - b);
    bare.sort((a, b) => a - b);
    const cpus = os.cpus();
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    process.stdout.write([
      '',
      `Cauce consultants-list bench: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), Node ${process.version}; 1-min load ${os.loadavg()[0].toFixed(2)}`,
      `${total} consultants over ${ZONES.length} zones and ${STATES.length} states; the first ${pages} pages of ${PAGE} of every state and zone`,
      `requests             ${served.length}`,
      `list page p50        ${ms(percentile(served, 50))}   (bare indexed query ${ms(percentile(bare, 50))})`,
      `list page p99        ${ms(percentile(served, 99))}   (bare indexed query ${ms(percentile(bare, 99))}; target under 50 ms)`,
      `p99 ratio to bare    ${(percentile(served, 99) / percentile(bare, 99)).toFixed(2)}x`,
      '',
    ].join('\n'));
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
