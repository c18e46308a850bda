/**
 * JSONata expressions, evaluated inside workflow code. JSONata is pure (no I/O), and its only clock
 * (`$now()`) reads `Date`, which the Temporal workflow sandbox makes deterministic, so replays agree.
 */
import jsonata from 'jsonata';

type Compiled = ReturnType<typeof jsonata>;

/** A `=`-prefixed string is an expression; anything else is a literal. */
export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('=');
}

function source(expr: string): string {
  return expr.startsWith('=') ? expr.slice(1) : expr;
}

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly expression: string,
    readonly position?: number,
  ) {
    super(message);
  }
}

// Definitions are immutable, so a compiled expression can be reused for the life of the worker's sandbox.
const cache = new Map<string, Compiled>();

/** Parses an expression (with or without `=`); throws ExpressionError with the position of a syntax error. */
export function compileExpression(expr: string): Compiled {
  const src = source(expr);
  let compiled = cache.get(src);
  if (!compiled) {
    try {
      compiled = jsonata(src);
    } catch (err) {
      const e = err as { message?: string; position?: number; token?: string };
      throw new ExpressionError(`invalid expression "${src}": ${e.message ?? String(err)}`, src, e.position);
    }
    cache.set(src, compiled);
  }
  return compiled;
}

/** Evaluates a condition or an `=` expression against `context`. */
export async function evaluateExpression(
  expr: string,
  context: Record<string, unknown>,
  bindings?: Record<string, unknown>,
): Promise<unknown> {
  try {
    return await compileExpression(expr).evaluate(context, bindings);
  } catch (err) {
    if (err instanceof ExpressionError) throw err;
    const e = err as { message?: string; position?: number };
    throw new ExpressionError(`expression "${source(expr)}" failed: ${e.message ?? String(err)}`, source(expr), e.position);
  }
}

/** Resolves a value that may be an expression; literal objects and arrays are resolved member by member. */
export async function resolveValue(
  value: unknown,
  context: Record<string, unknown>,
  bindings?: Record<string, unknown>,
): Promise<unknown> {
  if (isExpression(value)) return evaluateExpression(value, context, bindings);
  if (Array.isArray(value)) return Promise.all(value.map((v) => resolveValue(v, context, bindings)));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await resolveValue(v, context, bindings);
    return out;
  }
  return value;
}
