/** GET /healthz. Request and response schemas; api/schemas.ts registers them. */


export const Health = {
  $id: 'Health',
  type: 'object',
  required: ['status', 'temporal', 'database'],
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    temporal: {
      type: 'object',
      required: ['ok'],
      properties: { ok: { type: 'boolean' }, namespace: { type: 'string' }, taskQueue: { type: 'string' }, error: { type: 'string' } },
    },
    database: { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' }, error: { type: 'string' } } },
  },
} as const;

export const healthSchemas = [Health] as const;
