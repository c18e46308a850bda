/**
 * Recurring invoicing under a worker kill (issue 11): 10,000 customer subscriptions billed in one
 * period by a worker process running the billing workflow's real issue activity
 * (`subscriptionBilling.issue`), SIGKILLed partway through (mid-transaction, connections dropped), then
 * a second worker retrying every subscription, as Temporal retries the activities the dead worker held
 * (and, worst case, redelivers those it finished). Against a real, throwaway Postgres. Prints invoices
 * per second overall against a baseline measured in the same run (the same run with no kill), the
 * duplicates and the numbers skipped (both must be 0), and how many the first worker had issued.
 *
 *   npm run bench:recurring-kill [-- --subscriptions 10000 --concurrency 16 --killAt 0.4]
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createSubscriptionBillingActivities } from '../activities/subscription-billing';
import { createDb, migrateLatest } from '../lib/db';
import { wholeNumberOption } from './options';
import { throwawayPostgres } from './throwaway-postgres';

const log = (message: string) => process.stderr.write(`[bench:recurring-kill] ${message}\n`);

/** Worker mode: issue period 1 of every subscription of `batch`, `concurrency` at a time. */
async function worker(url: string, batch: string, concurrency: number): Promise<void> {
  const db = createDb(url, { poolMax: concurrency + 2 });
  const ids: string[] = await db('subscriptions').where({ product: batch }).orderBy('id').pluck('id');
  const issue = createSubscriptionBillingActivities({ db })['subscriptionBilling.issue'];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < ids.length) await issue({ subscriptionId: ids[next++], periodIndex: 1 });
  }));
  await db.destroy();
}

function runWorker(url: string, batch: string, concurrency: number): { exited: Promise<number | null>; kill: () => void } {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--worker', url, batch, String(concurrency)], { stdio: ['ignore', 'ignore', 'inherit'] });
  return { exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))), kill: () => child.kill('SIGKILL') };
}

async function createSubscriptions(db: Knex, batch: string, n: number): Promise<void> {
  const anchor = new Date('2027-01-15T12:00:00-05:00');
  for (let from = 0; from < n; from += 1000) {
    await db('subscriptions').insert(Array.from({ length: Math.min(1000, n - from) }, (_, i) => ({
      customer_tax_id: '222222222222', customer_name: `Cliente ${from + i}`, customer_email: `cliente${from + i}@${batch}.example`, product: batch,
      base_price: 59381, currency: 'COP', billing_zone: 'America/Bogota', channel: 'Portal de clientes', periodicity: 'monthly', status: 'active',
      billing_anchor_at: anchor, idempotency_key: `${batch}-${from + i}`,
    })));
  }
}

async function figures(db: Knex, batch: string) {
  const [row] = (await db.raw(
    `select count(*)::int invoices, count(distinct i.subscription_id)::int subscriptions, count(distinct i.number)::int numbers
       from invoices i join subscriptions s on s.id = i.subscription_id where s.product = ?`, [batch],
  )).rows;
  return row as { invoices: number; subscriptions: number; numbers: number };
}

async function main(): Promise<void> {
  const subscriptions = wholeNumberOption('subscriptions', 10_000);
  const concurrency = wholeNumberOption('concurrency', 16);
  const killAt = Number(process.argv[process.argv.indexOf('--killAt') + 1]) || 0.4;
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'cauce-bench-kill-'));
  chmodSync(tmpDir, 0o711);
  const { url, cleanup } = await throwawayPostgres(tmpDir, 'cauce_kill');
  const db = createDb(url, { poolMax: 4 });
  try {
    await migrateLatest(db);
    log(`creating ${subscriptions} customer subscriptions twice (the baseline's and the killed run's)…`);
    await createSubscriptions(db, 'baseline', subscriptions);
    await createSubscriptions(db, 'killed', subscriptions);

    log('baseline: one worker issues every period 1, nobody killed…');
    const b0 = performance.now();
    await runWorker(url, 'baseline', concurrency).exited;
    const baselineSeconds = (performance.now() - b0) / 1000;

    log(`killed run: the first worker is killed with SIGKILL once ${Math.round(killAt * 100)} % are issued, then a second one retries them all…`);
    const k0 = performance.now();
    const first = runWorker(url, 'killed', concurrency);
    let issuedByFirst = 0;
    for (;;) {
      issuedByFirst = (await figures(db, 'killed')).invoices;
      if (issuedByFirst >= subscriptions * killAt) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    first.kill();
    await first.exited;
    issuedByFirst = (await figures(db, 'killed')).invoices;
    await runWorker(url, 'killed', concurrency).exited;
    const killedSeconds = (performance.now() - k0) / 1000;

    const killed = await figures(db, 'killed');
    const [{ gaps }] = (await db.raw(`select (max(number) - min(number) + 1 - count(distinct number))::int gaps from invoices where kind = 'renewal'`)).rows;
    const duplicates = killed.invoices - killed.subscriptions;
    const cpus = os.cpus();
    process.stdout.write([
      '',
      `Cauce recurring-invoicing-under-a-kill bench: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), Node ${process.version}; 1-min load ${os.loadavg()[0].toFixed(2)}`,
      `${subscriptions} subscriptions, period 1, concurrency ${concurrency}; the activity in a worker process, killed with SIGKILL at ${Math.round(killAt * 100)} %`,
      `issued before the kill  ${issuedByFirst}`,
      `invoices issued         ${killed.invoices} for ${killed.subscriptions} subscriptions`,
      `per second, killed run  ${(subscriptions / killedSeconds).toFixed(0)}  (${killedSeconds.toFixed(2)} s, both workers)`,
      `per second, baseline    ${(subscriptions / baselineSeconds).toFixed(0)}  (${baselineSeconds.toFixed(2)} s, one worker, no kill)`,
      `ratio to baseline       ${(baselineSeconds / killedSeconds).toFixed(2)}x`,
      `duplicates              ${duplicates}`,
      `numbers skipped         ${gaps} (across both runs: invoice numbers have no gaps)`,
      '',
    ].join('\n'));
    if (duplicates !== 0 || gaps !== 0 || killed.subscriptions !== subscriptions) process.exitCode = 1;
  } finally {
    await db.destroy();
    await cleanup.stop();
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--worker') {
  worker(process.argv[3], process.argv[4], Number(process.argv[5])).catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
