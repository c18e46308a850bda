/**
 * Cached instances per GB of worker heap: a worker of its own (cache big enough for all of them) keeps
 * N interpreter instances waiting at their user task; the heap is measured after a full GC before
 * and after they arrive. The worker runs in debug mode, so its workflows live on this thread's V8 heap
 * (normally they run in a worker thread, whose heap `v8.getHeapStatistics()` here would not see);
 * the objects a cached workflow holds are the same either way.
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createActivities } from '../activities';
import type { CauceConfig } from '../lib/config';
import type { DefinitionVersion } from '../workflows/model';
import { workflowBundle } from '../worker/bundle';
import { startInterpreted } from './interpreted-start';

const WARM = 5;

export interface CacheMeasurement {
  n: number;
  cached: number;
  bytesPerInstance: number;
  perGiB: number;
}

function fullGc(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // Twice: weak references and finalizers cleared by the first are collected by the second.
  gc();
  gc();
}

const heapUsed = () => {
  fullGc();
  return v8.getHeapStatistics().used_heap_size;
};

export async function measureCachedInstances(opts: {
  connection: NativeConnection;
  client: Client;
  config: CauceConfig;
  db: Knex;
  dv: DefinitionVersion;
  taskQueue: string;
  n: number;
  waitForOpenTasks: (ids: string[], label: string) => Promise<unknown>;
}): Promise<CacheMeasurement> {
  const { connection, client, config, db, dv, taskQueue, n } = opts;
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities({ db }),
    maxCachedWorkflows: n + WARM + 10,
    debugMode: true,
  });
  const running = worker.run();
  const ids: string[] = [];
  const startAll = async (count: number, prefix: string) => {
    const batch: string[] = [];
    for (let i = 0; i < count; i += 10) {
      batch.push(...(await Promise.all(Array.from({ length: Math.min(10, count - i) }, (_, k) => startInterpreted(client, taskQueue, dv, `${prefix}-${i + k}`, 'bench-cache')))));
    }
    ids.push(...batch);
    await opts.waitForOpenTasks(batch, `${prefix} instances to reach their task`);
  };
  try {
    // Warm-up: the first workflow loads the bundle into the worker's context; that is not per instance.
    await startAll(WARM, `cache-warm-${taskQueue}`);
    const before = heapUsed();
    await startAll(n, `cache-${taskQueue}`);
    const after = heapUsed();
    const cached = worker.getStatus().numCachedWorkflows;
    const bytesPerInstance = (after - before) / n;
    return { n, cached, bytesPerInstance, perGiB: 2 ** 30 / bytesPerInstance };
  } finally {
    await Promise.all(ids.map((id) => client.workflow.getHandle(id).terminate('bench over').catch(() => undefined)));
    worker.shutdown();
    await running.catch(() => undefined);
  }
}
