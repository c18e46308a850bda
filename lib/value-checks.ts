/**
 * Values that parse but cannot be kept as sent, checked once for everything that enters: request
 * bodies and queries (api/routing.ts) and deployed definitions (lib/definitions/load.ts).
 * - nesting deeper than MAX_DEPTH: recursive code further on (schema validation, JSONata, structured
 *   clone) would overflow the stack on it;
 * - numbers that are not finite: `1e400` parses as Infinity, which JSON cannot write back and
 *   Postgres' jsonb refuses;
 * - lone UTF-16 surrogates in strings or keys: Postgres stores them as U+FFFD, so two different
 *   values (two business keys) would become one.
 * The walk is iterative, so a value too deep for recursion is still checked.
 */

export const MAX_DEPTH = 64;

export interface ValueProblem {
  /** JSON pointer (RFC 6901) of the offending value, `` for the root. */
  path: string;
  message: string;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const escapeSegment = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every problem, at most `limit` of them (a body of a million bad strings is reported briefly). */
export function valueProblems(value: unknown, limit = 20): ValueProblem[] {
  const problems: ValueProblem[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '', depth: 0 }];
  while (stack.length > 0 && problems.length < limit) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current)) problems.push({ path, message: 'contains an unpaired UTF-16 surrogate (not valid Unicode text)' });
    } else if (typeof current === 'number') {
      if (!Number.isFinite(current)) problems.push({ path, message: `must be a finite number (got ${current}; is it out of range, like 1e400?)` });
    } else if (typeof current === 'object' && current !== null) {
      if (depth >= MAX_DEPTH) {
        problems.push({ path, message: `is nested more than ${MAX_DEPTH} levels deep` });
        continue;
      }
      const entries: Array<[string, unknown]> = Array.isArray(current) ? current.map((v, i) => [String(i), v]) : Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        const childPath = `${path}/${escapeSegment(key)}`;
        if (!Array.isArray(current) && LONE_SURROGATE.test(key)) {
          problems.push({ path: childPath, message: 'has a name with an unpaired UTF-16 surrogate (not valid Unicode text)' });
        }
        stack.push({ value: child, path: childPath, depth: depth + 1 });
      }
    }
  }
  return problems.slice(0, limit);
}
