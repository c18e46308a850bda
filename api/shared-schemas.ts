/**
 * The pieces every feature's schemas (api/<feature>/schemas.ts) are built from, and the schemas more
 * than one feature uses (the error shape, ids in paths, 202 Accepted). Inlined by spreading, never
 * referenced, so json-schema-to-ts' FromSchema sees plain objects.
 */
import type { FromSchema } from 'json-schema-to-ts';

export const kebabId = { type: 'string', pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$', maxLength: 100 } as const;

/** Names, keys and ids people type: not empty, at most 200 characters. */
export const shortText = { type: 'string', minLength: 1, maxLength: 200 } as const;

export const uuid = { type: 'string', format: 'uuid' } as const;

/** A uuid, any case; for the places a uuid is told apart from other text (Postgres `~*`, `RegExp(…, 'i')`). */
export const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

export const nullableString = { type: ['string', 'null'] } as const;

export const nullableObject = { type: ['object', 'null'] } as const;

export const dateTime = { type: 'string', format: 'date-time' } as const;

export const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;

export const stringList = { type: 'array', items: { type: 'string' } } as const;

export const rutText = { type: 'string', minLength: 1, maxLength: 20, description: 'Chilean RUT with its check digit, with or without dots and dash (`76.086.428-5`).' } as const;

/** A company named in a lead or a signup. */
export const companyRef = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  description: 'Found by RUT (or by name when no RUT), else created.',
  properties: { name: shortText, rut: rutText },
} as const;

export const limit = { type: 'integer', minimum: 1, maximum: 200, default: 50 } as const;

export const offset = { type: 'integer', minimum: 0, default: 0 } as const;

export const instanceStatus = { type: 'string', enum: ['running', 'completed', 'cancelled', 'failed', 'terminated', 'timed_out'] } as const;

export const anyObject = { type: 'object', additionalProperties: true } as const;

/** A page of a list: the items, the total matching, and the limit/offset that produced it. */
export const page = <const Items>(items: Items) =>
  ({
    type: 'object',
    required: ['items', 'total', 'limit', 'offset'],
    properties: { items: { type: 'array', items }, total: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' } },
  }) as const;

export const ErrorResponse = {
  $id: 'ErrorResponse',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string', description: 'Stable machine-readable code, e.g. `invalid_request`, `TaskNotOpen`.' },
        message: { type: 'string' },
        details: { description: 'Problems with their location (`in`, `path`) for 400/422; null otherwise.' },
      },
    },
  },
} as const;

export const IdParams = {
  $id: 'IdParams',
  type: 'object',
  required: ['id'],
  properties: { id: shortText },
} as const;

export type IdParams = FromSchema<typeof IdParams>;

/** Why an operator cancels or terminates: kept in the audit trail. */
export const reason = { type: 'string', minLength: 1, maxLength: 2000 } as const;

export const Accepted = {
  $id: 'Accepted',
  type: 'object',
  required: ['accepted'],
  properties: { accepted: { type: 'boolean' }, id: { type: 'string' }, eventId: { type: 'string' } },
} as const;

/** An id that must be a uuid (imports, accounts): anything else is a 400 naming `/id`. */
export const UuidParams = {
  $id: 'UuidParams',
  type: 'object',
  required: ['id'],
  properties: { id: uuid },
} as const;

export type UuidParams = FromSchema<typeof UuidParams>;

/** A route's documented error answer: its codes in the description, the one error body as its schema. */
export const errorReply = (description: string) => ({ description, schema: ErrorResponse });

/** The honeypot of a public form (api/public-intake.ts). */
export const honeypotField = { type: 'string', maxLength: 500, description: 'Leave empty: a form field people do not see, which bots fill in.' } as const;

/** What a public intake form answers, whatever happened (api/public-intake.ts). */
export const IntakeReceived = {
  $id: 'IntakeReceived',
  type: 'object',
  required: ['received'],
  properties: { received: { type: 'boolean', const: true } },
} as const;

export const sharedSchemas = [ErrorResponse, IdParams, Accepted, UuidParams, IntakeReceived] as const;
