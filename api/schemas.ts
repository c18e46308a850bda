/**
 * The API contract: every request and response schema, and the one ajv instance that checks them.
 * Schemas are `as const` objects with an `$id`; their TypeScript types come from the schema itself
 * (json-schema-to-ts), and `openapi.ts` publishes the same objects, so contract, types and docs
 * cannot drift. The instance is draft 2020-12 because definitions' `variables` schemas are too.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { FromSchema } from 'json-schema-to-ts';

export const ajv = new Ajv2020({
  allErrors: true,
  // Definitions' variables schemas may carry annotations ajv does not know (`x-…`, UI hints).
  strict: false,
  useDefaults: true,
});
addFormats(ajv);

// ---- shared pieces (inlined, so FromSchema sees plain objects) ----

const kebabId = { type: 'string', pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$', maxLength: 100 } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
const stringList = { type: 'array', items: { type: 'string' } } as const;
const limit = { type: 'integer', minimum: 1, maximum: 200, default: 50 } as const;
const offset = { type: 'integer', minimum: 0, default: 0 } as const;
const instanceStatus = { type: 'string', enum: ['running', 'completed', 'cancelled', 'failed'] } as const;
const taskStatus = { type: 'string', enum: ['open', 'completed', 'cancelled'] } as const;
const anyObject = { type: 'object', additionalProperties: true } as const;
/** A page of a list: the items, the total matching, and the limit/offset that produced it. */
const page = <const Items>(items: Items) =>
  ({
    type: 'object',
    required: ['items', 'total', 'limit', 'offset'],
    properties: { items: { type: 'array', items }, total: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' } },
  }) as const;
const user = {
  type: 'object',
  required: ['username', 'roles'],
  properties: { username: { type: 'string' }, roles: stringList, displayName: { type: ['string', 'null'] } },
} as const;

// ---- errors ----

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

// ---- health ----

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

// ---- auth ----

export const LoginBody = {
  $id: 'LoginBody',
  type: 'object',
  required: ['username', 'password'],
  additionalProperties: false,
  properties: { username: { type: 'string', minLength: 1, maxLength: 200 }, password: { type: 'string', minLength: 1, maxLength: 500 } },
} as const;
export type LoginBody = FromSchema<typeof LoginBody>;

export const LoginResponse = {
  $id: 'LoginResponse',
  type: 'object',
  required: ['token', 'user', 'expiresAt'],
  properties: { token: { type: 'string' }, user, expiresAt: dateTime },
} as const;

export const Me = { $id: 'Me', ...user } as const;

// ---- definitions ----

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
          description: { type: ['string', 'null'] },
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

// ---- processes ----

export const IdParams = {
  $id: 'IdParams',
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;
export type IdParams = FromSchema<typeof IdParams>;

export const StartProcessBody = {
  $id: 'StartProcessBody',
  type: 'object',
  required: ['definitionId', 'businessKey', 'variables'],
  additionalProperties: false,
  properties: {
    definitionId: kebabId,
    version: { type: 'integer', minimum: 1, description: 'Default: the latest version.' },
    businessKey: { type: 'string', minLength: 1, maxLength: 200 },
    variables: anyObject,
  },
} as const;
export type StartProcessBody = FromSchema<typeof StartProcessBody>;

export const StartProcessResponse = {
  $id: 'StartProcessResponse',
  type: 'object',
  required: ['id', 'definitionId', 'version'],
  properties: { id: { type: 'string' }, definitionId: { type: 'string' }, version: { type: 'integer' }, businessKey: { type: 'string' } },
} as const;

export const ListProcessesQuery = {
  $id: 'ListProcessesQuery',
  type: 'object',
  additionalProperties: false,
  properties: {
    definitionId: kebabId,
    version: { type: 'integer', minimum: 1, description: 'Only instances started on this version of the definition.' },
    status: instanceStatus,
    stage: { type: 'string', minLength: 1 },
    businessKey: { type: 'string', minLength: 1 },
    limit,
    offset,
  },
} as const;
export type ListProcessesQuery = FromSchema<typeof ListProcessesQuery>;

const processSummary = {
  type: 'object',
  required: ['id', 'definitionId', 'version', 'businessKey', 'status', 'startedAt'],
  properties: {
    id: { type: 'string' },
    definitionId: { type: 'string' },
    version: { type: 'integer' },
    businessKey: { type: 'string' },
    status: instanceStatus,
    stage: { type: ['string', 'null'] },
    outcome: { type: ['string', 'null'] },
    endReason: { type: ['string', 'null'] },
    startedBy: { type: 'string' },
    startedAt: dateTime,
    endedAt: nullableDateTime,
    updatedAt: dateTime,
  },
} as const;

export const ProcessList = { $id: 'ProcessList', ...page(processSummary) } as const;

export const ProcessDetail = {
  $id: 'ProcessDetail',
  type: 'object',
  required: [...processSummary.required, 'variables', 'live'],
  properties: {
    ...processSummary.properties,
    variables: anyObject,
    live: { type: 'boolean', description: 'true when status, steps and tasks come from the workflow itself (state query).' },
    currentSteps: stringList,
    stageHistory: { type: 'array', items: anyObject },
    tasks: { type: 'array', items: anyObject },
    runs: { type: 'integer' },
    temporalUiUrl: { type: 'string' },
  },
} as const;

export const Timeline = {
  $id: 'Timeline',
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['at', 'kind', 'title', 'source'],
        properties: {
          at: dateTime,
          kind: { type: 'string', description: 'e.g. `workflow.started`, `activity.failed`, `timer.fired`, `task.completed`, `audit.task.claimed`.' },
          title: { type: 'string' },
          source: { type: 'string', enum: ['temporal', 'audit', 'workflow'] },
          actor: { type: 'string' },
          stepId: { type: 'string' },
          details: anyObject,
        },
      },
    },
  },
} as const;

export const EventParams = {
  $id: 'EventParams',
  type: 'object',
  required: ['id', 'name'],
  properties: { id: IdParams.properties.id, name: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_.-]*$', maxLength: 100 } },
} as const;
export type EventParams = FromSchema<typeof EventParams>;

export const EventBody = {
  $id: 'EventBody',
  type: 'object',
  additionalProperties: false,
  properties: {
    eventId: { type: 'string', minLength: 1, maxLength: 200, description: 'Idempotency id (or send an `Idempotency-Key` header).' },
    payload: anyObject,
  },
} as const;
export type EventBody = FromSchema<typeof EventBody>;

export const CancelBody = {
  $id: 'CancelBody',
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: { reason: { type: 'string', minLength: 1, maxLength: 2000 } },
} as const;
export type CancelBody = FromSchema<typeof CancelBody>;

export const Accepted = {
  $id: 'Accepted',
  type: 'object',
  required: ['accepted'],
  properties: { accepted: { type: 'boolean' }, id: { type: 'string' }, eventId: { type: 'string' } },
} as const;

// ---- tasks ----

export const ListTasksQuery = {
  $id: 'ListTasksQuery',
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['open', 'completed', 'cancelled', 'all'], default: 'open' },
    role: { type: 'string', minLength: 1 },
    assignee: { type: 'string', minLength: 1, description: 'A username, or `me`.' },
    processId: { type: 'string', minLength: 1 },
    limit,
    offset,
  },
} as const;
export type ListTasksQuery = FromSchema<typeof ListTasksQuery>;

const task = {
  type: 'object',
  required: ['id', 'processId', 'stepId', 'title', 'status', 'candidateRoles', 'outcomes', 'overdue'],
  properties: {
    id: { type: 'string' },
    processId: { type: 'string' },
    definitionId: { type: 'string' },
    businessKey: { type: 'string' },
    stepId: { type: 'string' },
    title: { type: 'string' },
    status: taskStatus,
    candidateRoles: stringList,
    assignee: { type: ['string', 'null'] },
    outcomes: stringList,
    form: { type: ['object', 'null'] },
    dueAt: nullableDateTime,
    overdue: { type: 'boolean' },
    escalatedAt: nullableDateTime,
    createdAt: dateTime,
    claimedAt: nullableDateTime,
    outcome: { type: ['string', 'null'] },
    data: { type: ['object', 'null'] },
    completedBy: { type: ['string', 'null'] },
    completedAt: nullableDateTime,
  },
} as const;

export const Task = { $id: 'Task', ...task } as const;

export const TaskList = { $id: 'TaskList', ...page(task) } as const;

export const CompleteTaskBody = {
  $id: 'CompleteTaskBody',
  type: 'object',
  required: ['outcome'],
  additionalProperties: false,
  properties: { outcome: { type: 'string', minLength: 1 }, data: anyObject },
} as const;
export type CompleteTaskBody = FromSchema<typeof CompleteTaskBody>;

export const CompleteTaskResponse = {
  $id: 'CompleteTaskResponse',
  type: 'object',
  required: ['taskId', 'outcome', 'completedBy', 'completedAt'],
  properties: { taskId: { type: 'string' }, outcome: { type: 'string' }, completedBy: { type: 'string' }, completedAt: dateTime },
} as const;

/** Every schema, registered once with ajv and published under `components.schemas`. */
export const allSchemas = [
  ErrorResponse, Health, LoginBody, LoginResponse, Me,
  DefinitionParams, DefinitionVersionParams, DefinitionYaml, DeployQuery, DefinitionList, DefinitionVersionResponse,
  IdParams, StartProcessBody, StartProcessResponse, ListProcessesQuery, ProcessList, ProcessDetail, Timeline,
  EventParams, EventBody, CancelBody, Accepted,
  ListTasksQuery, Task, TaskList, CompleteTaskBody, CompleteTaskResponse,
] as const;

for (const schema of allSchemas) ajv.addSchema(schema as object);
