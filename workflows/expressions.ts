/**
 * JSONata expressions, evaluated inside workflow code. JSONata is pure (no I/O), and its only clock
 * (`$now()`) reads `Date`, which the Temporal workflow sandbox makes deterministic, so replays agree.
 *
 * Every evaluation runs inside a budget (see EXPRESSION_BUDGET): counted evaluation steps, nesting
 * depth, sequence length and the size of computed strings, never wall time, so a replay stops at the
 * very same step. The budget exists because workflow code that keeps the sandbox busy for seconds
 * does not fail its workflow task: the SDK's VM timeout aborts the whole worker process. Regular
 * expressions run on RE2 (linear time) for the same reason.
 */
import jsonata from 'jsonata';
import { LinearRegExp } from './patterns';

type Compiled = ReturnType<typeof jsonata>;

/** Limits of one evaluation. Changing them changes where over-budget instances fail on replay. */
export const EXPRESSION_BUDGET = {
  /**
   * Evaluation steps (JSONata AST node visits, lambdas included). In the workflow sandbox a step
   * costs about 150 µs (the SDK records a stack trace for every promise, and JSONata is async), and
   * the worker dies when one activation runs for about 2 s: hence low limits.
   */
  steps: 1_000,
  /** Steps of all the expressions one workflow activation evaluates (parallel branches add up). */
  activationSteps: 3_000,
  /** Nesting depth of evaluation (recursion of user functions counts here). */
  depth: 400,
  /** Items in any one sequence or array an expression builds (ranges included). */
  items: 10_000,
  /** Characters in any string an expression builds (concatenation, $string, $join, $pad…). */
  stringLength: 100_000,
} as const;

/** A `=`-prefixed string is an expression; anything else is a literal. */
export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('=');
}

function source(expr: string): string {
  return expr.startsWith('=') ? expr.slice(1) : expr;
}

export type ExpressionErrorCode = 'ExpressionSyntax' | 'ExpressionFailed' | 'ExpressionBudgetExceeded';

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly expression: string,
    /** Character offset inside the expression (JSONata's position), when known. */
    readonly position?: number,
    readonly code: ExpressionErrorCode = 'ExpressionFailed',
    /** JSON pointer of the expression inside the definition, when the caller knows it. */
    readonly path?: string,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }

  /** The same error for an expression embedded `delta` characters into the one evaluated. */
  shifted(delta: number, expression: string): ExpressionError {
    const position = this.position === undefined ? undefined : Math.max(0, this.position + delta);
    const message = this.message.split(`"${this.expression}"`).join(`"${expression}"`);
    return new ExpressionError(message, expression, position, this.code, this.path);
  }

  /** The same error, located at `path` in the definition. */
  at(path: string): ExpressionError {
    if (this.path) return this;
    return new ExpressionError(`${path}: ${this.message}`, this.expression, this.position, this.code, path);
  }
}

// Definitions are immutable, so a compiled expression can be reused for the life of the worker's sandbox.
const cache = new Map<string, Compiled>();

const compileOptions = { stack: EXPRESSION_BUDGET.depth, sequence: EXPRESSION_BUDGET.items, RegexEngine: LinearRegExp };

/** Parses an expression (with or without `=`); throws ExpressionError with the position of a syntax error. */
export function compileExpression(expr: string): Compiled {
  const src = source(expr);
  let compiled = cache.get(src);
  if (!compiled) {
    try {
      compiled = (jsonata as unknown as (src: string, options: object) => Compiled)(src, compileOptions);
      installMeterHooks(compiled);
    } catch (err) {
      const e = err as { message?: string; position?: number; token?: string };
      throw new ExpressionError(`invalid expression "${src}": ${e.message ?? String(err)}`, src, e.position, 'ExpressionSyntax');
    }
    cache.set(src, compiled);
  }
  return compiled;
}

interface Node {
  type: string;
  value?: unknown;
  position?: number;
}

/** Thrown from JSONata's hooks; JSONata passes our own errors through unchanged. */
class OverBudget extends Error {
  constructor(
    message: string,
    readonly position?: number,
  ) {
    super(message);
  }
}

// Node types whose result an expression computed (rather than looked up in its input).
const COMPUTING = new Set(['binary', 'unary', 'function', 'apply', 'partial', 'block', 'condition']);

/**
 * The step counter of one evaluation. JSONata finds its hooks by symbol in the environment, but
 * evaluation bindings are copied by string key only, so the hooks are assigned once per compiled
 * expression and read the evaluation's own meter from a string binding.
 */
interface Meter {
  steps: number;
}

// Per workflow: the SDK isolates globalThis between workflows sharing a sandbox, not module variables.
const activation = globalThis as { __cauceActivationSteps?: number };

/** Called when a workflow activation starts (workflows/interceptors.ts): the activation budget starts over. */
export function beginActivation(): void {
  activation.__cauceActivationSteps = 0;
}

const METER = '__cauceMeter';

interface Frame {
  lookup(name: string | symbol): unknown;
}

function installMeterHooks(compiled: Compiled): void {
  const assign = compiled.assign as (name: string | symbol, value: unknown) => void;
  assign(Symbol.for('jsonata.__evaluate_entry'), (node: Node, _input: unknown, env: Frame) => {
    const meter = env.lookup(METER) as Meter | undefined;
    if (!meter) return;
    if (++meter.steps > EXPRESSION_BUDGET.steps) {
      throw new OverBudget(`used more than ${EXPRESSION_BUDGET.steps} evaluation steps`, node.position);
    }
    activation.__cauceActivationSteps = (activation.__cauceActivationSteps ?? 0) + 1;
    if (activation.__cauceActivationSteps > EXPRESSION_BUDGET.activationSteps) {
      throw new OverBudget(
        `used more than ${EXPRESSION_BUDGET.activationSteps} evaluation steps together with the other expressions of this workflow task`,
        node.position,
      );
    }
  });
  assign(Symbol.for('jsonata.__evaluate_exit'), (node: Node, _input: unknown, _env: Frame, result: unknown) => {
    if (!COMPUTING.has(node.type)) return;
    if (typeof result === 'string' && result.length > EXPRESSION_BUDGET.stringLength) {
      throw new OverBudget(`built a string of ${result.length} characters (the limit is ${EXPRESSION_BUDGET.stringLength})`, node.position);
    }
    if (Array.isArray(result) && result.length > EXPRESSION_BUDGET.items) {
      throw new OverBudget(`built a list of ${result.length} items (the limit is ${EXPRESSION_BUDGET.items})`, node.position);
    }
  });
}

const BUDGET_CODES: Record<string, string> = {
  D1011: `nested deeper than ${EXPRESSION_BUDGET.depth} levels (a function that recurses without end?)`,
  D2014: `built a sequence of more than ${EXPRESSION_BUDGET.items} items`,
  D2015: `built a sequence of more than ${EXPRESSION_BUDGET.items} items`,
};

// ---- plain paths, without JSONata --------------------------------------------------------------
//
// Most expressions in definitions are a variable or a dotted path into one (`=email`, `=client.name`).
// JSONata evaluates even those asynchronously, a promise per AST node, and in the workflow sandbox
// every promise costs a stack trace (see EXPRESSION_BUDGET). A plain path over plain objects is read
// directly instead, with the result JSONata gives and the same evaluation steps counted against the
// activation's budget; anything else (arrays, which JSONata maps over, a missing intermediate, an
// inherited property, the budget running out) is left to JSONata.

const PLAIN_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
/** Words JSONata reads as operators or literals, never as field names. */
const RESERVED = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);
const plainPaths = new Map<string, string[] | null>();

// Per workflow, like the activation's budget: the interpreter decides per run (FEWER_PROMISES_PATCH).
const plainReads = globalThis as { __cauceJsonataOnly?: boolean };

/** Whether plain paths are read directly (the default) or, as in runs recorded before, by JSONata. */
export function readPlainPaths(enabled: boolean): void {
  plainReads.__cauceJsonataOnly = !enabled;
}

/** The names of a plain path (`client.name` → ['client', 'name']), or null for any other expression. */
export function plainPathOf(src: string): string[] | null {
  let segments = plainPaths.get(src);
  if (segments === undefined) {
    segments = PLAIN_PATH.test(src) ? src.split('.') : null;
    if (segments?.some((s) => RESERVED.has(s))) segments = null;
    plainPaths.set(src, segments);
  }
  return segments;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Not read directly: JSONata must evaluate it. */
const VIA_JSONATA = Symbol('via JSONata');

interface PlainRead {
  value: unknown;
  /** The steps JSONata counts for it: the path node and one per name. */
  steps: number;
}

function readPlainPath(src: string, context: Record<string, unknown>): PlainRead | typeof VIA_JSONATA {
  if (plainReads.__cauceJsonataOnly) return VIA_JSONATA;
  const segments = plainPathOf(src);
  if (!segments) return VIA_JSONATA;
  let value: unknown = context;
  for (const name of segments) {
    if (!isPlainObject(value)) return VIA_JSONATA;
    if (!Object.hasOwn(value, name)) {
      if (name in value) return VIA_JSONATA;
      value = undefined;
    } else value = value[name];
  }
  if (Array.isArray(value) || (typeof value === 'object' && value !== null && !isPlainObject(value))) return VIA_JSONATA;
  // An undefined intermediate ends JSONata's walk early (fewer steps): only a missing last name is read here.
  return { value, steps: segments.length + 1 };
}

/** Counts `steps` against the activation's budget, unless that would pass it (then JSONata raises it at its step). */
function spendActivationSteps(steps: number): boolean {
  const spent = activation.__cauceActivationSteps ?? 0;
  if (spent + steps > EXPRESSION_BUDGET.activationSteps) return false;
  activation.__cauceActivationSteps = spent + steps;
  return true;
}

/** Evaluates a condition or an `=` expression against `context`, inside EXPRESSION_BUDGET. */
export async function evaluateExpression(
  expr: string,
  context: Record<string, unknown>,
  bindings?: Record<string, unknown>,
): Promise<unknown> {
  const src = source(expr);
  const plain = readPlainPath(src, context);
  if (plain !== VIA_JSONATA && spendActivationSteps(plain.steps)) return plain.value;
  try {
    const meter: Meter = { steps: 0 };
    return await compileExpression(expr).evaluate(context, { ...bindings, [METER]: meter });
  } catch (err) {
    if (err instanceof ExpressionError) throw err;
    if (err instanceof OverBudget) {
      throw new ExpressionError(`expression "${src}" is over its budget: it ${err.message}`, src, err.position, 'ExpressionBudgetExceeded');
    }
    if (err instanceof RangeError) {
      // The engine itself ran out (call stack, string or array length): the same verdict as the budget's.
      throw new ExpressionError(`expression "${src}" is over its budget: ${err.message}`, src, undefined, 'ExpressionBudgetExceeded');
    }
    const e = err as { message?: string; position?: number; code?: string };
    const overrun = e.code ? BUDGET_CODES[e.code] : undefined;
    if (overrun) throw new ExpressionError(`expression "${src}" is over its budget: it ${overrun}`, src, e.position, 'ExpressionBudgetExceeded');
    throw new ExpressionError(`expression "${src}" failed: ${e.message ?? String(err)}`, src, e.position);
  }
}

/**
 * Resolves a value that may be an expression; literal objects and arrays are resolved member by member.
 * `path` is the value's JSON pointer in the definition, so an error names where the expression is.
 */
export async function resolveValue(
  value: unknown,
  context: Record<string, unknown>,
  bindings?: Record<string, unknown>,
  path?: string,
): Promise<unknown> {
  if (plainReads.__cauceJsonataOnly) return resolveEach(value, context, bindings, path);
  // Literals and plain paths only (the usual activity input): resolved at once, in one pass.
  const reads: PlainRead[] = [];
  const quick = resolvePlain(value, context, reads);
  if (quick !== VIA_JSONATA && spendActivationSteps(reads.reduce((n, r) => n + r.steps, 0))) return quick;
  return resolveEach(value, context, bindings, path);
}

/** `value` with its plain-path expressions read (collected in `reads`), or VIA_JSONATA if any needs JSONata. */
function resolvePlain(value: unknown, context: Record<string, unknown>, reads: PlainRead[]): unknown {
  if (isExpression(value)) {
    const read = readPlainPath(source(value), context);
    if (read === VIA_JSONATA) return VIA_JSONATA;
    reads.push(read);
    return read.value;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      const r = resolvePlain(v, context, reads);
      if (r === VIA_JSONATA) return VIA_JSONATA;
      out.push(r);
    }
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = resolvePlain(v, context, reads);
      if (r === VIA_JSONATA) return VIA_JSONATA;
      out[k] = r;
    }
    return out;
  }
  return value;
}

async function resolveEach(
  value: unknown,
  context: Record<string, unknown>,
  bindings?: Record<string, unknown>,
  path?: string,
): Promise<unknown> {
  if (isExpression(value)) {
    try {
      return await evaluateExpression(value, context, bindings);
    } catch (err) {
      throw err instanceof ExpressionError && path ? err.at(path) : err;
    }
  }
  if (Array.isArray(value)) return Promise.all(value.map((v, i) => resolveEach(v, context, bindings, path && `${path}/${i}`)));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await resolveEach(v, context, bindings, path && `${path}/${escapePointer(k)}`);
    return out;
  }
  return value;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
