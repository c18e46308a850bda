/**
 * `npm run bench:hashing [-- --logins 100]`: what a burst of password checks does to the event loop,
 * bcryptjs (cost 10, the hashes before) against argon2id as lib/passwords.ts runs it (libuv pool,
 * bounded). Prints, per variant, the wall time for the burst and the worst and p99 event-loop delay
 * while it ran, and the ratios argon2id / bcrypt. Absolute times depend on the machine (and on what
 * else runs on it); the ratios are what to compare. No test asserts on these numbers.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import bcrypt from 'bcryptjs';
import { hashPassword, verifyPassword } from '../lib/passwords';

const logins = Number(process.argv[process.argv.indexOf('--logins') + 1]) || 100;

async function measure(name: string, verify: () => Promise<boolean>) {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: logins }, verify));
  const wallMs = performance.now() - started;
  loop.disable();
  if (!results.every(Boolean)) throw new Error(`${name}: a correct password did not verify`);
  return { name, wallMs, maxDelayMs: loop.max / 1e6, p99DelayMs: loop.percentile(99) / 1e6 };
}

async function main(): Promise<void> {
  const password = 'correct horse battery staple';
  const bcryptHash = await bcrypt.hash(password, 10);
  const argonHash = await hashPassword(password);
  const rows = [
    await measure('bcryptjs (cost 10)', () => bcrypt.compare(password, bcryptHash)),
    await measure('argon2id (lib/passwords)', async () => (await verifyPassword(argonHash, password)).matches),
  ];
  const fmt = (n: number) => n.toFixed(1).padStart(9);
  process.stdout.write(`${logins} password checks at once\n`);
  process.stdout.write(`${'variant'.padEnd(26)}${'wall ms'.padStart(9)}${'max lag'.padStart(9)}${'p99 lag'.padStart(9)}\n`);
  for (const r of rows) process.stdout.write(`${r.name.padEnd(26)}${fmt(r.wallMs)}${fmt(r.maxDelayMs)}${fmt(r.p99DelayMs)}\n`);
  const [b, a] = rows;
  process.stdout.write(
    `ratios argon2id/bcrypt: wall ${(a.wallMs / b.wallMs).toFixed(2)}, max event-loop lag ${(a.maxDelayMs / b.maxDelayMs).toFixed(3)}, p99 lag ${(a.p99DelayMs / b.p99DelayMs).toFixed(3)}\n`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
