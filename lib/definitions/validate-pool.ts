/**
 * Definition validation off the event loop: parsing and checking a large definition takes seconds of
 * CPU, which on the API's thread would stall every other request. One worker thread (validation is
 * CPU-bound, and the API needs the other core) takes deploys in turn from a bounded queue.
 */
import { Piscina } from 'piscina';
import { sizeError, VALIDATION_TIMEOUT_MS } from './limits';
import type { ValidationResult } from './validate';

/** Deploys waiting for the validation thread beyond this are refused (ValidationBusyError). */
const MAX_QUEUED = 16;

export class ValidationBusyError extends Error {
  constructor() {
    super(`${MAX_QUEUED} definitions are already waiting to be validated; try again shortly`);
    this.name = 'ValidationBusyError';
  }
}

let pool: Piscina | undefined;

function validationPool(): Piscina {
  pool ??= new Piscina({
    filename: require.resolve('./validate-thread.cjs'),
    minThreads: 0,
    maxThreads: 1,
    maxQueue: MAX_QUEUED,
    // Idle threads are unref'd, so a kept thread never holds the process open.
    idleTimeout: 60_000,
  });
  return pool;
}

/** validateDefinitionSource, run in the validation thread with the default catalog. */
export async function validateOffThread(source: string, file: string): Promise<ValidationResult> {
  // Checked here too: an oversized source is not worth copying to the thread.
  const tooLarge = sizeError(source, file);
  if (tooLarge) return { errors: [tooLarge] };
  const running = validationPool();
  if (running.queueSize >= MAX_QUEUED) throw new ValidationBusyError();
  try {
    return await running.run({ source, file }, { signal: AbortSignal.timeout(VALIDATION_TIMEOUT_MS) });
  } catch (err) {
    if ((err as Error).name !== 'AbortError') throw err;
    const message = `validation took longer than ${VALIDATION_TIMEOUT_MS / 1000} s and was stopped: make the definition smaller or its expressions simpler`;
    return { errors: [{ file, line: 1, column: 1, path: '', message }] };
  }
}

/** Ends the validation thread (tests, shutdown). */
export async function closeValidationPool(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.destroy();
}
