/**
 * Recurring billing at scale (issue 9): 10,000 subscriptions billed in one period. Drives the billing
 * workflow's real issue activity (`subscriptionBilling.issue`, what each subscription's workflow calls at
 * its period's start) in concurrent batches against a real, throwaway Postgres, rather than running
 * 10,000 workflows: the figure measured is the database path (lines, folio, unique (subscription,
 * period)), which is what bounds a billing day. Every subscription is issued twice, the second call
 * racing the first (a retried activity, a second worker), so duplicates are provoked, not hoped absent.
 * Prints invoices issued per second, the duplicates found and the numbers skipped (both must be 0).
 *
 *   npm run bench:billing [-- --subscriptions 10000 --concurrency 16]
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSubscriptionBillingActivities } from '../activities/subscription-billing';
import { createDb, migrateLatest } from '../lib/db';
import { wholeNumberOption } from './options';
import { throwawayPostgres } from './throwaway-postgres';

const log = (message: string) => process.stderr.write(`[bench:billing] ${message}\n`);


async function main(): Promise<void> {
  const subscriptions = wholeNumberOption('subscriptions', 10_000);
  const concurrency = wholeNumberOption('concurrency', 16);
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'cauce-bench-billing-'));
  chmodSync(tmpDir, 0o711); // as root, Postgres runs as `postgres` and must pass through it
  const { url, cleanup } = await throwawayPostgres(tmpDir, 'cauce_billing');
  const db = createDb(url, { poolMax: concurrency + 2 });
  try {
    await migrateLatest(db);
    log(`creating ${subscriptions} paid accounts with a subscription anchored on 2027-01-31 (period 1 starts on Feb 28)…`);
    const anchor = new Date('2027-01-31T12:00:00-03:00');
    const ids: string[] = [];
    for (let from = 0; from < subscriptions; from += 1000) {
      const n = Math.min(1000, subscriptions - from);
      const accounts = await db('accounts')
        .insert(Array.from({ length: n }, (_, i) => ({
          email: `bench${from + i}@billing.cl`, rut: '76086428-5', name: `Cuenta ${from + i}`, plan_code: 'trial-pyme', kind: 'trial', status: 'active', channel: 'ecommerce',
          base_price: 29990, currency: 'CLP', conversion_state: 'converted', payment_state: 'paid', first_paid_at: anchor, idempotency_key: `bench-account-${from + i}`,
        })))
        .returning('id');
      const subs = await db('subscriptions')
        .insert(accounts.map((a: { id: string }, i: number) => ({
          account_id: a.id, plan_code: 'trial-pyme', base_price: 29990, currency: 'CLP', periodicity: 'monthly', status: 'active',
          billing_anchor_at: anchor, idempotency_key: `bench-subscription-${from + i}`,
        })))
        .returning('id');
      ids.push(...subs.map((s: { id: string }) => s.id));
    }

    const issue = createSubscriptionBillingActivities({ db })['subscriptionBilling.issue'];
    // Each subscription twice, the two calls in the same batch: the second races the first.
    const calls = ids.flatMap((id) => [id, id]);
    let next = 0;
    let failures = 0;
    log(`issuing period 1: ${calls.length} calls of subscriptionBilling.issue, ${concurrency} at a time…`);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < calls.length) {
        const subscriptionId = calls[next++];
        try {
          await issue({ subscriptionId, periodIndex: 1 });
        } catch (err) {
          failures += 1;
          if (failures <= 3) log(`issue failed: ${(err as Error).message}`);
        }
      }
    }));
    const seconds = (performance.now() - t0) / 1000;

    // Baseline, same run, same calls: the least a billing day can cost here. One insert per call into a
    // bare table numbered by a sequence, the repeat dropped by its unique (subscription, period): no
    // lines, no counter lock, no gapless numbers.
    await db.raw('create sequence bench_baseline_seq');
    await db.raw(`create table bench_baseline (number integer not null unique default nextval('bench_baseline_seq'), subscription_id uuid not null, period_index integer not null, amount numeric(14, 2) not null, unique (subscription_id, period_index))`);
    let baselineNext = 0;
    log(`baseline: ${calls.length} bare inserts, ${concurrency} at a time…`);
    const b0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (baselineNext < calls.length) {
        const subscriptionId = calls[baselineNext++];
        await db('bench_baseline').insert({ subscription_id: subscriptionId, period_index: 1, amount: 29990 }).onConflict(['subscription_id', 'period_index']).ignore();
      }
    }));
    const baselineSeconds = (performance.now() - b0) / 1000;

    const [{ invoices, periods, numbers, gaps }] = (await db.raw(
      `select count(*)::int invoices, count(distinct (subscription_id, period_index))::int periods, count(distinct number)::int numbers,
              (coalesce(max(number) - min(number) + 1, 0) - count(distinct number))::int gaps
         from invoices where kind = 'renewal'`,
    )).rows;
    const duplicates = invoices - periods;
    const wrongDay = (await db.raw(`select count(*)::int n from invoices where kind = 'renewal' and (period_start at time zone 'America/Santiago')::date <> date '2027-02-28'`)).rows[0].n;
    const cpus = os.cpus();
    process.stdout.write([
      '',
      `Cauce billing bench: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), Node ${process.version}; 1-min load ${os.loadavg()[0].toFixed(2)}`,
      `${subscriptions} subscriptions, period 1, ${calls.length} issue calls (each subscription twice, racing), concurrency ${concurrency}; the activity called directly, no workflows`,
      `invoices issued      ${invoices}`,
      `invoices per second  ${(invoices / seconds).toFixed(0)}  (${seconds.toFixed(2)} s)`,
      `baseline per second  ${(subscriptions / baselineSeconds).toFixed(0)}  (${baselineSeconds.toFixed(2)} s; bare inserts numbered by a sequence)`,
      `ratio to baseline    ${(baselineSeconds / seconds).toFixed(2)}x`,
      `duplicates           ${duplicates}`,
      `folios used          ${numbers} (one per invoice: ${numbers === invoices ? 'yes' : 'NO'})`,
      `numbers skipped      ${gaps} (invoice numbers have no gaps: migration 028)`,
      `period not on Feb 28 ${wrongDay}`,
      `failed calls         ${failures}`,
      '',
    ].join('\n'));
    if (duplicates !== 0 || gaps !== 0 || invoices !== subscriptions || failures !== 0 || wrongDay !== 0) process.exitCode = 1;
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
