/** Sign-in and the signed-in user. Request and response schemas; api/schemas.ts registers them. */
import type { FromSchema } from 'json-schema-to-ts';
import { shortText, nullableString, dateTime, stringList } from '../shared-schemas';

const user = {
  type: 'object',
  required: ['username', 'roles'],
  properties: { username: { type: 'string' }, roles: stringList, displayName: nullableString },
} as const;

export const LoginBody = {
  $id: 'LoginBody',
  type: 'object',
  required: ['username', 'password'],
  additionalProperties: false,
  properties: { username: shortText, password: { type: 'string', minLength: 1, maxLength: 500 } },
} as const;

export type LoginBody = FromSchema<typeof LoginBody>;

export const LoginResponse = {
  $id: 'LoginResponse',
  type: 'object',
  required: ['token', 'user', 'expiresAt'],
  properties: { token: { type: 'string' }, user, expiresAt: dateTime },
} as const;

export const Me = { $id: 'Me', ...user } as const;

export const authSchemas = [LoginBody, LoginResponse, Me] as const;
