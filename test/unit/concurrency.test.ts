import { createGate, GateFullError } from '../../lib/concurrency';
import { rejectionOf } from '../support/errors';

/** A piece of work that runs until `finish()` is called. */
function held() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { finish, work: () => done };
}

test('runs at most maxInFlight at once, the rest in arrival order; past maxWaiting refuses at once', async () => {
  const gate = createGate(2, 2);
  const started: string[] = [];
  const jobs = ['a', 'b', 'c', 'd'].map((name) => ({ name, ...held() }));
  const runs = jobs.map((j) =>
    gate.run(async () => {
      started.push(j.name);
      await j.work();
      return j.name;
    }),
  );
  await new Promise((r) => setImmediate(r));
  expect(started).toEqual(['a', 'b']);
  expect((await rejectionOf(gate.run(async () => 'e'), GateFullError)).waiting).toBe(2);

  jobs[1].finish();
  await runs[1];
  await new Promise((r) => setImmediate(r));
  expect(started).toEqual(['a', 'b', 'c']);
  jobs[0].finish();
  jobs[2].finish();
  jobs[3].finish();
  expect(await Promise.all(runs)).toEqual(['a', 'b', 'c', 'd']);
  expect(started).toEqual(['a', 'b', 'c', 'd']);
});

test('a failing piece of work frees its slot', async () => {
  const gate = createGate(1);
  await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  expect(await gate.run(async () => 'next')).toBe('next');
});
