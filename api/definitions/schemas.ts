/** Definitions: deploy (YAML), list, versions. Request and response schemas; api/schemas.ts registers them. */
import type { FromSchema } from 'json-schema-to-ts';
import { kebabId, nullableString, dateTime, anyObject } from '../shared-schemas';

export const DefinitionParams = {
  $id: 'DefinitionParams',
  type: 'object',
  required: ['id'],
  properties: { id: kebabId },
} as const;

export type DefinitionParams = FromSchema<typeof DefinitionParams>;

export const DefinitionVersionParams = {
  $id: 'DefinitionVersionParams',
  type: 'object',
  required: ['id', 'version'],
  properties: { id: kebabId, version: { type: 'integer', minimum: 1 } },
} as const;

export type DefinitionVersionParams = FromSchema<typeof DefinitionVersionParams>;

export const DefinitionYaml = {
  $id: 'DefinitionYaml',
  type: 'string',
  minLength: 1,
  description: 'A process definition in YAML (see docs/ARCHITECTURE.md, "Definition format").',
} as const;

export const DeployQuery = {
  $id: 'DeployQuery',
  type: 'object',
  additionalProperties: false,
  properties: { file: { type: 'string', minLength: 1, maxLength: 500, description: 'File name used in error locations.' } },
} as const;

export type DeployQuery = FromSchema<typeof DeployQuery>;

const versionSummary = {
  type: 'object',
  required: ['version', 'hash', 'deployedAt'],
  properties: { version: { type: 'integer' }, hash: { type: 'string' }, deployedAt: dateTime, deployedBy: { type: 'string' } },
} as const;

export const DefinitionList = {
  $id: 'DefinitionList',
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'latestVersion'],
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          description: nullableString,
          latestVersion: { type: 'integer' },
          versionCount: { type: 'integer' },
          deployedAt: dateTime,
        },
      },
    },
  },
} as const;

export const DefinitionVersionResponse = {
  $id: 'DefinitionVersionResponse',
  type: 'object',
  required: ['id', 'version', 'hash', 'definition'],
  properties: {
    id: { type: 'string' },
    version: { type: 'integer' },
    hash: { type: 'string' },
    definition: { ...anyObject, description: 'The parsed definition, including its `variables` JSON Schema.' },
    deployedAt: dateTime,
    deployedBy: { type: 'string' },
    source: { type: 'string', description: 'The YAML as deployed.' },
    versions: { type: 'array', items: versionSummary, description: 'Only on `GET /api/definitions/{id}`.' },
    created: { type: 'boolean', description: 'Only on deploy: false when the same content was already deployed.' },
  },
} as const;

export const definitionsSchemas = [DefinitionParams, DefinitionVersionParams, DefinitionYaml, DeployQuery, DefinitionList, DefinitionVersionResponse] as const;
