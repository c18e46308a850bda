import { MAX_DEFINITION_BYTES, MAX_DEFINITION_STEPS } from '../../lib/definitions/limits';
import { defineRoute, type RouteDef } from '../routing';
import { DefinitionList, DefinitionParams, DefinitionVersionParams, DefinitionVersionResponse, DefinitionYaml, DeployQuery } from './schemas';
import { errorReply } from '../shared-schemas';
import type { DefinitionsService } from './service';

export const YAML_TYPES = ['application/yaml', 'text/yaml', 'application/x-yaml', 'text/plain'];

export function definitionRoutes(definitions: DefinitionsService): RouteDef[] {
  const notFound = errorReply('Not deployed');
  return [
    defineRoute({
      method: 'get',
      path: '/api/definitions',
      summary: 'Deployed definitions (latest version of each)',
      tag: 'definitions',
      auth: 'user',
      responses: { 200: { description: 'Definitions', schema: DefinitionList } },
      handler: () => definitions.list(),
    }),
    defineRoute({
      method: 'get',
      path: '/api/definitions/:id',
      summary: 'The latest version of a definition (parsed, with its variables schema) and its version list',
      tag: 'definitions',
      auth: 'user',
      params: DefinitionParams,
      responses: { 200: { description: 'The definition', schema: DefinitionVersionResponse }, 404: notFound },
      handler: ({ params }) => definitions.getWithVersions(params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/api/definitions/:id/versions/:version',
      summary: 'One version of a definition',
      tag: 'definitions',
      auth: 'user',
      params: DefinitionVersionParams,
      responses: { 200: { description: 'The version', schema: DefinitionVersionResponse }, 404: notFound },
      handler: ({ params }) => definitions.get(params.id, params.version),
    }),
    defineRoute({
      method: 'post',
      path: '/api/definitions',
      summary: 'Deploy a definition (YAML body); unchanged content returns the existing version',
      tag: 'definitions',
      auth: 'admin',
      query: DeployQuery,
      body: DefinitionYaml,
      bodyTypes: YAML_TYPES,
      responses: {
        201: { description: 'New version deployed', schema: DefinitionVersionResponse },
        200: { description: 'Same content already deployed; that version', schema: DefinitionVersionResponse },
        413: errorReply(`YAML larger than ${MAX_DEFINITION_BYTES} bytes`),
        422: errorReply(`Invalid definition (or more than ${MAX_DEFINITION_STEPS} steps); \`details\` lists \`{file, line, column, path, message}\``),
        503: errorReply('Too many definitions waiting to be validated; try again shortly'),
      },
      handler: ({ body, query, user }) => definitions.deploy(body, query.file ?? 'definition.yaml', user.username),
      status: (deployed) => (deployed.created ? 201 : 200),
    }),
  ];
}
