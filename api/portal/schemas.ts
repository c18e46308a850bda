/** The client portal's own routes (seed 001): setting the password of new portal credentials. */
import type { FromSchema } from 'json-schema-to-ts';

export const PortalPasswordBody = {
  $id: 'PortalPasswordBody',
  type: 'object',
  required: ['password'],
  additionalProperties: false,
  properties: { password: { type: 'string', minLength: 10, maxLength: 500, description: 'At least 10 characters.' } },
} as const;

export type PortalPasswordBody = FromSchema<typeof PortalPasswordBody>;

export const PortalActivated = {
  $id: 'PortalActivated',
  type: 'object',
  required: ['activated', 'email'],
  additionalProperties: false,
  properties: { activated: { const: true }, email: { type: 'string', description: 'The e-mail the client signs in with.' } },
} as const;

export const portalSchemas = [PortalPasswordBody, PortalActivated] as const;
