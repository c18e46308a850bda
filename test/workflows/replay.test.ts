/**
 * Every recorded history must replay against the current interpreter: a change that would break
 * running instances (non-determinism) fails here before it reaches a worker.
 * Re-record with `npm run record-histories` only when a change is meant to be incompatible
 * (and then version the interpreter with `patched()` instead, so running instances keep working).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../../worker/bundle';
import { FEWER_PROMISES_PATCH, LOCAL_BOOKKEEPING_PATCH } from '../../workflows/instance';
import { CHARGES_SAVED_CARD } from '../../workflows/subscription-billing';
import { HISTORIES_DIR, patchIds } from '../support/histories';
import { quietWorkerLogs } from '../support/servers';

const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'));

beforeAll(() => quietWorkerLogs());

it('has recorded histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(5);
});

it('covers runs that write their bookkeeping as regular activities and runs that write it locally', () => {
  const local = files.filter((f) => patchIds(JSON.parse(readFileSync(path.join(HISTORIES_DIR, f), 'utf8')).history.events).some((id) => id === LOCAL_BOOKKEEPING_PATCH || id === FEWER_PROMISES_PATCH));
  expect(local.length).toBeGreaterThanOrEqual(1);
  expect(files.length - local.length).toBeGreaterThanOrEqual(1);
});

it('covers runs from before and since the fewer-promises patch', () => {
  const since = files.filter((f) => patchIds(JSON.parse(readFileSync(path.join(HISTORIES_DIR, f), 'utf8')).history.events).includes(FEWER_PROMISES_PATCH));
  expect(since.length).toBeGreaterThanOrEqual(2);
  expect(files.length - since.length).toBeGreaterThanOrEqual(2);
});

it("covers a customer's renewals from before and since they were charged to a saved card", () => {
  const renewals = files.filter((f) => JSON.parse(readFileSync(path.join(HISTORIES_DIR, f), 'utf8')).workflowId.startsWith('subscription-billing/'));
  const charged = renewals.filter((f) => patchIds(JSON.parse(readFileSync(path.join(HISTORIES_DIR, f), 'utf8')).history.events).includes(CHARGES_SAVED_CARD));
  expect(charged.length).toBeGreaterThanOrEqual(1);
  expect(renewals.length - charged.length).toBeGreaterThanOrEqual(1);
});

it.each(files)('replays %s', async (file) => {
  const { workflowId, history } = JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8'));
  await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, workflowId)).resolves.toBeUndefined();
});
