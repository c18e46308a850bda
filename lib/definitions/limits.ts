/**
 * How large a definition Cauce accepts. Validation is roughly linear in size (YAML with positions,
 * the JSON Schema, semantic checks, every expression compiled), and it runs in a worker thread
 * (validate-pool.ts), so these bound the work one deploy can queue, not the API's responsiveness.
 * The real definitions have under 60 steps and 40 KB.
 */
import type { DefinitionError } from './errors';

/** YAML source, in bytes (UTF-8). The API's YAML body limit is the same number, so more is 413. */
export const MAX_DEFINITION_BYTES = 512 * 1024;
/** Steps, counting those inside parallel branches. Larger processes split into sub-processes. */
export const MAX_DEFINITION_STEPS = 1000;
/** A validation still running after this is abandoned (its worker thread is ended). */
export const VALIDATION_TIMEOUT_MS = 30_000;

export function sizeError(source: string, file: string): DefinitionError | null {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes <= MAX_DEFINITION_BYTES) return null;
  return {
    file,
    line: 1,
    column: 1,
    path: '',
    message: `the definition is ${kib(bytes)} KiB; at most ${kib(MAX_DEFINITION_BYTES)} KiB is accepted (split it into sub-processes)`,
  };
}

/** Steps at the top level and in every parallel branch, of a parsed value not yet checked against the schema. */
export function countSteps(value: unknown): number {
  const steps = (value as { steps?: unknown } | null)?.steps;
  if (!steps || typeof steps !== 'object' || Array.isArray(steps)) return 0;
  let count = 0;
  for (const step of Object.values(steps)) {
    count++;
    const branches = (step as { branches?: unknown } | null)?.branches;
    if (Array.isArray(branches)) for (const branch of branches) count += countSteps(branch);
  }
  return count;
}

export function stepsMessage(count: number): string {
  return `the definition has ${count} steps; at most ${MAX_DEFINITION_STEPS} are accepted (split it into sub-processes)`;
}

const kib = (bytes: number) => Math.ceil(bytes / 1024);
