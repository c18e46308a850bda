/**
 * scripts/supervisor.ts with real child processes: a service that keeps crashing is restarted after a
 * pause that doubles each time, and each death is logged with its exit code and last stderr line; one
 * that never became ready is not restarted, and its error is the supervisor's answer.
 */
import path from 'node:path';
import { supervise } from '../../scripts/supervisor';
import { eventually } from '../support/eventually';

const ROOT = path.join(__dirname, '..', '..');
const fixture = (name: string) => path.join('test', 'fixtures', 'services', `${name}.ts`);
// The services' stderr is relayed to ours: keep the test output readable.
const writeStderr = process.stderr.write;
beforeAll(() => {
  process.stderr.write = (() => true) as typeof process.stderr.write;
});
afterAll(() => {
  process.stderr.write = writeStderr;
});

it('restarts a crashing service with a doubling pause, saying how it died and what it last wrote', async () => {
  const lines: string[] = [];
  const service = supervise({ name: 'flaky', script: fixture('crash-after-ready'), cwd: ROOT, env: process.env }, (m) => lines.push(m), {
    firstDelayMs: 50,
    maxDelayMs: 150,
    stableAfterMs: 60_000,
  });
  try {
    await service.ready;
    await eventually(async () => lines.filter((l) => l.startsWith('restarting')), (r) => r.length >= 4, 'four restarts', 60_000);
    expect(lines.filter((l) => l.startsWith('restarting')).slice(0, 4)).toEqual([
      'restarting flaky in 0.05 s (crash 1 in a row)',
      'restarting flaky in 0.1 s (crash 2 in a row)',
      'restarting flaky in 0.15 s (crash 3 in a row)',
      'restarting flaky in 0.15 s (crash 4 in a row)',
    ]);
    expect(lines.find((l) => l.includes('died'))).toMatch(/^flaky \(pid \d+\) died: exit code 3 after [\d.]+ s; last stderr:\n {4}boom: the last thing it said$/);
    expect(lines.some((l) => /^flaky running again \(pid \d+\)$/.test(l))).toBe(true);
  } finally {
    await service.stop();
  }
  expect(service.pid).toBeUndefined();
}, 90_000);

it('does not restart a service that never became ready, and answers with its error', async () => {
  const lines: string[] = [];
  const service = supervise({ name: 'API', script: fixture('never-ready'), cwd: ROOT, env: process.env }, (m) => lines.push(m), { firstDelayMs: 10 });
  await expect(service.ready).rejects.toThrow(/^API exited before it was ready \(exit code 1 after [\d.]+ s\); last stderr:\n {4}HTTP port 127\.0\.0\.1:3000 is in use \(set PORT\)$/);
  expect(lines.filter((l) => l.startsWith('restarting'))).toEqual([]);
  expect(service.pid).toBeUndefined();
}, 30_000);
