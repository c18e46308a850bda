/**
 * Temporal for tests: the shared dev server started by the global setup (real server semantics,
 * visibility, search attributes) and the time-skipping test server (timers that take days).
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection } from '@temporalio/worker';

export function devServerAddress(): string {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: run tests through jest (test/setup/global-setup.ts starts Temporal)');
  return address;
}

/** Client-side connection to the shared dev server. Close it in afterAll. */
export function devServerConnection(): Promise<Connection> {
  return Connection.connect({ address: devServerAddress() });
}

/** Worker-side connection to the shared dev server. Close it in afterAll. */
export function devServerNativeConnection(): Promise<NativeConnection> {
  return NativeConnection.connect({ address: devServerAddress() });
}

export async function devServerClient(namespace = 'default'): Promise<{ client: Client; connection: Connection }> {
  const connection = await devServerConnection();
  return { client: new Client({ connection, namespace }), connection };
}

/** Test files share one dev server; a task queue of their own keeps their workers apart. */
export function uniqueTaskQueue(prefix = 'test'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** A time-skipping environment on the pinned test-server binary (downloads one only if none was found). */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const path = process.env.CAUCE_TEST_SERVER_BIN;
  return TestWorkflowEnvironment.createTimeSkipping(path ? { server: { executable: { type: 'existing-path', path } } } : {});
}

let runtimeInstalled = false;

/** Worker logs at WARN and above: INFO lines about worker state would bury test output. Call before creating workers. */
export function quietWorkerLogs(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Runtime, DefaultLogger } = require('@temporalio/worker') as typeof import('@temporalio/worker');
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed by an earlier test file in this worker process.
  }
}
