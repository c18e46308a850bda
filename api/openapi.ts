/**
 * The OpenAPI 3.1 document, built from the route list and the schemas in schemas.ts: what is
 * documented is exactly what is mounted and validated.
 */
import { hidesFromOutsiders, requiredRoles, type RouteDef } from './routing';
import { allSchemas } from './schemas';
import { ErrorResponse } from './shared-schemas';

const ref = (schema: { $id: string }) => ({ $ref: `#/components/schemas/${schema.$id}` });
const json = (schema: { $id: string }) => ({ content: { 'application/json': { schema: ref(schema) } } });
/** A response in the API's one error shape. */
const errorResponse = (description: string) => ({ description, ...json(ErrorResponse) });

/** `/api/processes/:id` → `/api/processes/{id}`. */
export const openApiPath = (expressPath: string) => expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

type Props = Record<string, Record<string, unknown>>;

function parameters(route: RouteDef) {
  const out: unknown[] = [];
  for (const [where, schema] of [['path', route.params], ['query', route.query]] as const) {
    if (!schema) continue;
    const s = schema as { properties?: Props; required?: readonly string[] };
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      out.push({
        name,
        in: where,
        required: where === 'path' || (s.required ?? []).includes(name),
        ...(typeof prop.description === 'string' ? { description: prop.description } : {}),
        schema: prop,
      });
    }
  }
  for (const h of route.headers ?? []) out.push({ name: h.name, in: 'header', required: !!h.required, description: h.description, schema: { type: 'string' } });
  return out;
}

export function buildOpenApi(routes: RouteDef[], info: { version?: string } = {}) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      responses[status] = { description: spec.description, ...(spec.schema ? json(spec.schema) : {}) };
    }
    if (route.params || route.query || route.body) responses['400'] ??= errorResponse('Malformed request (details: `{in, path, message}` per problem)');
    if (route.auth !== 'public') responses['401'] ??= errorResponse('Missing, invalid or expired token');
    if (route.auth === 'admin') responses['403'] ??= errorResponse('Requires the admin role');
    const roles = requiredRoles(route.auth);
    if (roles && hidesFromOutsiders(route.auth)) responses['404'] ??= errorResponse(`Not found, or not visible to you (visible to admin, ${roles.join(', ')})`);
    else if (roles) responses['403'] ??= errorResponse(`Requires one of the roles admin, ${roles.join(', ')}`);

    const operation: Record<string, unknown> = {
      operationId: `${route.method}${openApiPath(route.path).replace(/[{}]/g, '').split(/[/-]/).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('')}`,
      summary: route.summary,
      tags: [route.tag],
      security: route.auth === 'public' ? [] : route.auth === 'portal' ? [{ portal: [] }] : [{ bearer: [] }],
      ...(route.auth === 'admin' ? { 'x-required-role': 'admin' } : {}),
      ...(roles ? { 'x-required-roles': ['admin', ...roles] } : {}),
      ...(hidesFromOutsiders(route.auth) ? { 'x-outsiders': 404 } : {}),
      parameters: parameters(route),
      responses,
    };
    if (route.body) {
      const types = route.bodyTypes ?? ['application/json'];
      operation.requestBody = { required: !route.bodyOptional, content: Object.fromEntries(types.map((t) => [t, { schema: ref(route.body!) }])) };
    }
    (paths[openApiPath(route.path)] ??= {})[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Cauce API', version: info.version ?? '0.1.0', description: 'Durable sales processes declared in YAML, run on Temporal.' },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      schemas: Object.fromEntries(allSchemas.map((s) => [s.$id, s])),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Token from POST /api/auth/login (12 h)' },
        portal: { type: 'http', scheme: 'bearer', description: "A customer's client-portal token, from POST /api/public/portal/login (12 h); it opens the /api/portal routes only" },
      },
    },
  };
}
