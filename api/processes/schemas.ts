/** Process instances: start, list, detail, timeline, events, cancel. Request and response schemas; api/schemas.ts registers them. */
import type { FromSchema } from 'json-schema-to-ts';
import { TIMELINE_VIEWS } from './timeline';
import { kebabId, shortText, nullableString, dateTime, nullableDateTime, stringList, limit, offset, instanceStatus, anyObject, page, IdParams, reason } from '../shared-schemas';

export const StartProcessBody = {
  $id: 'StartProcessBody',
  type: 'object',
  required: ['definitionId', 'businessKey', 'variables'],
  additionalProperties: false,
  properties: {
    definitionId: kebabId,
    version: { type: 'integer', minimum: 1, description: 'Default: the latest version.' },
    businessKey: shortText,
    variables: anyObject,
  },
} as const;

export type StartProcessBody = FromSchema<typeof StartProcessBody>;

export const StartProcessResponse = {
  $id: 'StartProcessResponse',
  type: 'object',
  required: ['id', 'workflowId', 'definitionId', 'version', 'status'],
  properties: {
    id: { type: 'string', description: "The instance: its workflow chain's first run id." },
    workflowId: { type: 'string', description: '`<definitionId>/<businessKey>`, as the Temporal UI lists it.' },
    definitionId: { type: 'string' },
    version: { type: 'integer' },
    businessKey: { type: 'string' },
    status: { enum: ['running', 'completed', 'cancelled', 'failed'], description: 'Where it stands once every path waits (running when the answer could not wait longer).' },
  },
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
    stage: nullableString,
    outcome: nullableString,
    endReason: nullableString,
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
    incidents: { type: 'array', items: anyObject, description: 'Open incidents: steps stopped until an operator retries, cancels or terminates.' },
    parkedEvents: { type: 'array', items: anyObject, description: 'Events received that no step has taken yet (kept while a step ahead can take them).' },
    temporalUiUrl: { type: 'string' },
  },
} as const;

export const HistoryQuery = {
  $id: 'HistoryQuery',
  type: 'object',
  additionalProperties: false,
  properties: {
    view: {
      type: 'string',
      enum: TIMELINE_VIEWS,
      default: 'business',
      description: '`business`: what happened to the sale (audit trail and steps); `technical`: that plus the Temporal events (activities, timers, signals, updates).',
    },
  },
} as const;
export type HistoryQuery = FromSchema<typeof HistoryQuery>;

export const Timeline = {
  $id: 'Timeline',
  type: 'object',
  required: ['view', 'items'],
  properties: {
    view: { type: 'string', enum: TIMELINE_VIEWS },
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
    eventId: { ...shortText, description: 'Idempotency id (or send an `Idempotency-Key` header).' },
    payload: anyObject,
  },
} as const;

export type EventBody = FromSchema<typeof EventBody>;

export const CancelBody = {
  $id: 'CancelBody',
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: { reason },
} as const;

export type CancelBody = FromSchema<typeof CancelBody>;

export const processesSchemas = [StartProcessBody, StartProcessResponse, ListProcessesQuery, ProcessList, ProcessDetail, HistoryQuery, Timeline, EventParams, EventBody, CancelBody] as const;
