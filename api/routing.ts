/**
 * Routes are declared as data (`defineRoute`): method, path, who may call it, the schemas of params,
 * query and body, the responses, and which of those responses a result answers with. `mountRoutes`
 * validates every input with the one ajv instance before the handler runs, and `openapi.ts` builds the
 * document from the same list, so a route cannot exist without being documented and validated.
 *
 * The order of the checks, for every route:
 *   1. authentication (401), then the `admin` level (403);
 *   2. params, query and body: first values no schema can express (too deep, not finite, lone
 *      surrogates: lib/value-checks.ts), then their schemas (400, every problem at once);
 *   3. the `{ roles }` of the route (403, or 404 for a route that reads one record, so that an outsider
 *      cannot tell whether it exists): after validation, where the services checked them before
 *      they were declared here, so a malformed request is a 400 whoever sends it;
 *   4. the handler; its result is sent with the status `status(result)` picks (default: the route's
 *      one 2xx response), which must be one of the declared responses.
 */
import type { Express, Request, RequestHandler, Response } from 'express';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import { holdsAny, isOperator } from '../workflows/policy';
import { requireAnyRole } from './auth/service';
import { ajv } from './schemas';
import { badRequest, forbidden, HttpError, notFound, problemsFromAjv, ValidationProblem } from './errors';
import { valueProblems } from '../lib/value-checks';
import type { SessionUser } from './types';

type Schema = JSONSchema & { $id: string };
type Input<S> = S extends Schema ? FromSchema<S> : undefined;

/**
 * `public`: anyone; `user`: any signed-in user; `portal`: a customer signed in to the client portal (seed 001:
 * a portal session, never a staff one, and the route sees only that customer's records); `admin`: the admin role; `{ roles }`: a signed-in user
 * holding one of `roles` (an admin always may; the lists are in workflows/policy.ts). Others get 403,
 * or 404 with `outsiders: 'notFound'` (a route that reads one record: workflows/policy.ts, RECORD_READERS).
 */
export type AuthLevel = 'public' | 'user' | 'portal' | 'admin' | { roles: readonly string[]; outsiders?: 'notFound' };

export interface ResponseSpec {
  description: string;
  schema?: Schema;
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Set on every route whose auth level is not `public`. */
  user: SessionUser;
  req: Request;
}

export interface RouteDef<P = unknown, Q = unknown, B = unknown, R = unknown> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express syntax (`/api/processes/:id`); OpenAPI gets `{id}`. */
  path: string;
  summary: string;
  tag: string;
  auth: AuthLevel;
  params?: Schema;
  query?: Schema;
  body?: Schema;
  /** Request media types; default JSON. */
  bodyTypes?: string[];
  /** The body may be left out (the handler then gets undefined); sent, it must match `body`. */
  bodyOptional?: true;
  /**
   * The handler reads the body itself from `req` as it arrives (a large upload); `body` then only
   * documents it. Such routes are mounted before the body parsers (api/app.ts).
   */
  streamBody?: true;
  headers?: Array<{ name: string; description: string; required?: boolean }>;
  responses: Record<number, ResponseSpec>;
  /** The status a result is answered with; default: the one 2xx in `responses`. 204 sends no body. */
  status?: (result: R) => number;
  handler(input: RouteInput<P, Q, B>): Promise<R>;
}

/** Declares a route; the handler's input types come from the schemas, `status` gets its result type. */
export function defineRoute<
  const PS extends Schema | undefined = undefined,
  const QS extends Schema | undefined = undefined,
  const BS extends Schema | undefined = undefined,
  R = unknown,
>(
  def: Omit<RouteDef, 'params' | 'query' | 'body' | 'handler' | 'status'> & {
    params?: PS;
    query?: QS;
    body?: BS;
    status?: (result: R) => number;
    handler(input: RouteInput<Input<PS>, Input<QS>, Input<BS>>): Promise<R>;
  },
): RouteDef {
  return def as unknown as RouteDef;
}

/** `{ roles }` of a route, or null for the fixed levels. */
export const requiredRoles = (auth: AuthLevel): readonly string[] | null => (typeof auth === 'object' ? auth.roles : null);

/** Whether callers outside the route's roles are answered 404 rather than 403. */
export const hidesFromOutsiders = (auth: AuthLevel): boolean => typeof auth === 'object' && auth.outsiders === 'notFound';

/**
 * The status function of a route: its own, or the one 2xx it declares. Checked when the routes are
 * mounted, so a route with several 2xx responses and no `status` never starts.
 */
function statusOf(route: RouteDef): (result: unknown) => number {
  const name = `${route.method.toUpperCase()} ${route.path}`;
  const declared = Object.keys(route.responses).map(Number);
  let pick = route.status;
  if (!pick) {
    const success = declared.filter((s) => s >= 200 && s < 300);
    if (success.length !== 1) throw new Error(`${name} declares ${success.length} 2xx responses; give it a status(result) function`);
    pick = () => success[0];
  }
  const choose = pick;
  return (result) => {
    const status = choose(result);
    if (!declared.includes(status)) throw new Error(`${name} answered ${status}, which is not among its declared responses (${declared.join(', ')})`);
    return status;
  };
}

/**
 * Query strings and path params arrive as strings; convert the ones the schema declares as numbers
 * or booleans (only those, so a bad value still fails validation with its path).
 */
function coerce(schema: Schema, raw: Record<string, unknown>): Record<string, unknown> {
  const props = ((schema as { properties?: Record<string, { type?: unknown }> }).properties ?? {});
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const type = props[key]?.type;
    if (typeof value === 'string' && (type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) out[key] = Number(value);
    else if (typeof value === 'string' && type === 'boolean' && (value === 'true' || value === 'false')) out[key] = value === 'true';
    else out[key] = value;
  }
  return out;
}

/** 400 naming each value that cannot be accepted as sent, before any schema walks it. */
function checkValues(inputs: Array<[ValidationProblem['in'], unknown]>): void {
  const problems: ValidationProblem[] = inputs.flatMap(([where, value]) => valueProblems(value).map((p) => ({ in: where, path: p.path || '/', message: p.message })));
  if (problems.length === 0) return;
  const message = problems.map((p) => `${p.in} ${p.path}: ${p.message}`).join('; ');
  throw badRequest('invalid_value', `The request has values that cannot be accepted: ${message}`, problems);
}

function check(where: ValidationProblem['in'], schema: Schema, data: unknown): ValidationProblem[] {
  const validate = ajv.getSchema(schema.$id);
  if (!validate) throw new Error(`schema ${schema.$id} is not registered in api/schemas.ts`);
  return validate(data) ? [] : problemsFromAjv(where, validate.errors);
}

/** Staff (`user` and above) or a portal customer (`portal`): each kind of session opens only its own routes. */
export type Authenticator = (req: Request, kind: 'staff' | 'portal') => Promise<SessionUser>;

export function mountRoutes(app: Express, routes: RouteDef[], authenticate: Authenticator): void {
  for (const route of routes) {
    const status = statusOf(route);
    const roles = requiredRoles(route.auth);
    const handler: RequestHandler = async (req: Request, res: Response) => {
      const user = route.auth === 'public' ? (undefined as unknown as SessionUser) : await authenticate(req, route.auth === 'portal' ? 'portal' : 'staff');
      if (route.auth === 'admin' && !isOperator(user)) throw forbidden('This action requires the admin role');

      const params = route.params ? coerce(route.params, { ...req.params }) : {};
      const query = route.query ? coerce(route.query, { ...(req.query as Record<string, unknown>) }) : {};
      const body: unknown = req.body;
      // Raw bytes (a gateway's signed webhook) are their handler's to read, not values to walk.
      checkValues([['params', params], ['query', query], ['body', Buffer.isBuffer(body) ? undefined : body]]);

      const problems: ValidationProblem[] = [];
      if (route.params) problems.push(...check('params', route.params, params));
      if (route.query) problems.push(...check('query', route.query, query));
      if (route.body && route.bodyTypes && req.get('content-type') && !req.is(route.bodyTypes)) {
        throw new HttpError(415, 'unsupported_media_type', `Send the body as ${route.bodyTypes.join(' or ')}`);
      }
      if (route.body && !route.streamBody) {
        if (body !== undefined) problems.push(...check('body', route.body, body));
        else if (!route.bodyOptional) {
          const types = route.bodyTypes ?? ['application/json'];
          problems.push({ in: 'body', path: '/', message: `a body of type ${types.join(' or ')} is required` });
        }
      }
      if (problems.length) throw badRequest('invalid_request', 'The request does not match the API schema', problems);
      if (roles && !holdsAny(user, roles)) {
        if (hidesFromOutsiders(route.auth)) throw notFound(`${req.method} ${req.path}: not found`, { path: req.path });
        requireAnyRole(user, roles, `${route.method.toUpperCase()} ${route.path}`);
      }

      const result = await route.handler({ params, query, body, user, req });
      if (res.headersSent) return;
      const code = status(result);
      if (code === 204 || result === undefined) res.status(code).end();
      else res.status(code).json(result);
    };
    app[route.method](route.path, handler);
  }
}
