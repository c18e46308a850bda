/**
 * Routes are declared as data (`defineRoute`): method, path, auth level, the schemas of params,
 * query and body, and the responses. `mountRoutes` validates every input with the one ajv instance
 * before the handler runs, and `openapi.ts` builds the document from the same list, so a route
 * cannot exist without being documented and validated.
 */
import type { Express, Request, RequestHandler, Response } from 'express';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import { isAdmin } from './auth/service';
import { ajv } from './schemas';
import { badRequest, forbidden, HttpError, problemsFromAjv, ValidationProblem } from './errors';
import type { SessionUser } from './types';

type Schema = JSONSchema & { $id: string };
type Input<S> = S extends Schema ? FromSchema<S> : undefined;

export type AuthLevel = 'public' | 'user' | 'admin';

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
  res: Response;
}

export interface RouteDef<P = unknown, Q = unknown, B = unknown> {
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
  headers?: Array<{ name: string; description: string; required?: boolean }>;
  responses: Record<number, ResponseSpec>;
  handler(input: RouteInput<P, Q, B>): Promise<unknown>;
}

/** Declares a route; the handler's input types come from the schemas. */
export function defineRoute<
  const PS extends Schema | undefined = undefined,
  const QS extends Schema | undefined = undefined,
  const BS extends Schema | undefined = undefined,
>(
  def: Omit<RouteDef, 'params' | 'query' | 'body' | 'handler'> & {
    params?: PS;
    query?: QS;
    body?: BS;
    handler(input: RouteInput<Input<PS>, Input<QS>, Input<BS>>): Promise<unknown>;
  },
): RouteDef {
  return def as unknown as RouteDef;
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

function check(where: ValidationProblem['in'], schema: Schema, data: unknown): ValidationProblem[] {
  const validate = ajv.getSchema(schema.$id);
  if (!validate) throw new Error(`schema ${schema.$id} is not registered in api/schemas.ts`);
  return validate(data) ? [] : problemsFromAjv(where, validate.errors);
}

export type Authenticator = (req: Request) => Promise<SessionUser>;

export function mountRoutes(app: Express, routes: RouteDef[], authenticate: Authenticator): void {
  for (const route of routes) {
    const handler: RequestHandler = async (req: Request, res: Response) => {
      const user = route.auth === 'public' ? (undefined as unknown as SessionUser) : await authenticate(req);
      if (route.auth === 'admin' && !isAdmin(user)) throw forbidden('This action requires the admin role');

      const problems: ValidationProblem[] = [];
      const params = route.params ? coerce(route.params, { ...req.params }) : {};
      if (route.params) problems.push(...check('params', route.params, params));
      const query = route.query ? coerce(route.query, { ...(req.query as Record<string, unknown>) }) : {};
      if (route.query) problems.push(...check('query', route.query, query));
      const body: unknown = req.body;
      if (route.body && route.bodyTypes && req.get('content-type') && !req.is(route.bodyTypes)) {
        throw new HttpError(415, 'unsupported_media_type', `Send the body as ${route.bodyTypes.join(' or ')}`);
      }
      if (route.body) {
        if (body === undefined) {
          const types = route.bodyTypes ?? ['application/json'];
          problems.push({ in: 'body', path: '/', message: `a body of type ${types.join(' or ')} is required` });
        } else problems.push(...check('body', route.body, body));
      }
      if (problems.length) throw badRequest('invalid_request', 'The request does not match the API schema', problems);

      const result = await route.handler({ params, query, body, user, req, res });
      if (!res.headersSent && result !== undefined) {
        if (res.statusCode === 200 && route.method === 'post' && route.responses[201] && !route.responses[200]) res.status(201);
        res.json(result);
      } else if (!res.headersSent) res.status(res.statusCode === 200 ? 204 : res.statusCode).end();
    };
    app[route.method](route.path, handler);
  }
}
