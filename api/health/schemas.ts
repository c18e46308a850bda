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
    mail: {
      type: 'object',
      description: 'E-mail does not decide the status: mail waits in the outbox while the relay is down.',
      required: ['ok', 'transport', 'relay'],
      properties: {
        ok: { type: 'boolean', description: 'The SMTP relay (or the embedded sink) answered.' },
        transport: { type: 'string', enum: ['smtp', 'sink'] },
        relay: { type: 'string', description: 'Its address, without its password.' },
        error: { type: 'string' },
        outbox: {
          type: 'object',
          required: ['pending', 'failing', 'givenUp'],
          properties: { pending: { type: 'integer' }, failing: { type: 'integer' }, givenUp: { type: 'integer', description: 'Failed 10 times; no longer tried.' } },
        },
      },
    },
  },
} as const;

export const healthSchemas = [Health] as const;
