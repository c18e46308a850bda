/** Liveness of the two things every request needs: Postgres and the Temporal namespace. */
import type { AppDeps } from '../deps';

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function createHealthService({ db, temporal, config }: AppDeps) {
  return {
    async check() {
      const [database, temporalStatus] = await Promise.all([
        withTimeout(db.raw('select 1'), CHECK_TIMEOUT_MS, 'database').then(
          () => ({ ok: true }),
          (err: Error) => ({ ok: false, error: err.message }),
        ),
        withTimeout(
          temporal.connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () =>
            temporal.workflowService.describeNamespace({ namespace: config.temporal.namespace }),
          ),
          CHECK_TIMEOUT_MS + 500,
          'temporal',
        ).then(
          () => ({ ok: true, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue }),
          (err: Error) => ({ ok: false, namespace: config.temporal.namespace, error: err.message }),
        ),
      ]);
      const status: 'ok' | 'unavailable' = database.ok && temporalStatus.ok ? 'ok' : 'unavailable';
      return { status, temporal: temporalStatus, database };
    },
  };
}
