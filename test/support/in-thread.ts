/**
 * Calls an export of a TypeScript module in a worker thread. For code that may never return (a
 * backtracking regular expression): on the test's own thread it would hang jest; here the thread is
 * ended after `timeoutMs` and the call rejects, so the test fails with a message instead.
 */
import { Worker } from 'node:worker_threads';

const RUNNER = `
const { parentPort, workerData } = require('node:worker_threads');
require('tsx/cjs/api').register();
Promise.resolve()
  .then(() => require(workerData.module)[workerData.name](...workerData.args))
  .then((value) => parentPort.postMessage({ value }), (err) => parentPort.postMessage({ error: String(err && err.stack || err) }));
`;

export function callInThread<T>(module: string, name: string, args: unknown[], timeoutMs = 20_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(RUNNER, { eval: true, workerData: { module, name, args } });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`${name}(…) did not return within ${timeoutMs} ms`));
    }, timeoutMs);
    worker.once('message', (message: { value?: T; error?: string }) => {
      clearTimeout(timer);
      void worker.terminate();
      if (message.error !== undefined) reject(new Error(message.error));
      else resolve(message.value as T);
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
