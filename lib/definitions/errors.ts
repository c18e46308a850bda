/** Located problems in a definition file, shaped for editors and CI logs (`file:line:column: message`). */

export interface DefinitionError {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** JSON pointer into the definition, e.g. `/steps/verifyClient/roles/0`; `` for the whole document. */
  path: string;
  message: string;
}

export function formatDefinitionError(error: DefinitionError): string {
  const at = error.path ? ` (at ${error.path})` : '';
  return `${error.file}:${error.line}:${error.column}: ${error.message}${at}`;
}

export function formatDefinitionErrors(errors: DefinitionError[]): string {
  return errors.map(formatDefinitionError).join('\n');
}

export class DefinitionValidationError extends Error {
  readonly errors: DefinitionError[];

  constructor(errors: DefinitionError[]) {
    const files = [...new Set(errors.map((e) => e.file))].join(', ');
    super(`invalid definition ${files} (${errors.length} problem${errors.length === 1 ? '' : 's'}):\n${formatDefinitionErrors(errors)}`);
    this.name = 'DefinitionValidationError';
    this.errors = errors;
  }
}

/** Sorts by file, then position, so the first error a person reads is the first one in the file. */
export function sortDefinitionErrors(errors: DefinitionError[]): DefinitionError[] {
  return [...errors].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

/** A JSON pointer (RFC 6901) from its segments. */
export function pointer(segments: Array<string | number>): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** The unescaped segments of a JSON pointer (`''` → none). */
export function pointerSegments(path: string): string[] {
  if (path === '') return [];
  return path
    .replace(/^\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** ` (did you mean 'x'?)` when one of `candidates` is a likely typo of `value`, else ``. */
export function didYouMean(value: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(value.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(value.length / 3)) ? ` (did you mean '${best}'?)` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
