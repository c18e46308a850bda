/** Incidents: list and operator actions. Request and response schemas; api/schemas.ts registers them. */
import type { FromSchema } from 'json-schema-to-ts';
import { shortText, uuid, nullableString, dateTime, limit, offset, page, reason } from '../shared-schemas';

const incident = {
  type: 'object',
  required: ['id', 'processId', 'definitionId', 'businessKey', 'source', 'type', 'message', 'status', 'raisedAt'],
  properties: {
    id: uuid,
    processId: { type: 'string' },
    definitionId: { type: 'string' },
    businessKey: { type: 'string' },
    source: { type: 'string', enum: ['step', 'workflow-task'], description: '`step`: the interpreter stopped a step; `workflow-task`: Temporal reports the workflow task failing.' },
    stepId: nullableString,
    type: { type: 'string', description: 'e.g. `ExpressionBudgetExceeded`, `ExpressionFailed`, `NoChoiceMatched`, `StepLoop`.' },
    message: { type: 'string' },
    location: {
      type: ['object', 'null'],
      description: 'Where the fault is in the definition: JSON pointer, file, line and column.',
      properties: { path: { type: 'string' }, file: nullableString, line: { type: ['integer', 'null'] }, column: { type: ['integer', 'null'] } },
    },
    status: { type: 'string', enum: ['open', 'resolved'] },
    resolution: nullableString,
    resolvedBy: nullableString,
    raisedAt: dateTime,
    resolvedAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

export const Incident = { $id: 'Incident', ...incident } as const;

export const IncidentList = { $id: 'IncidentList', ...page(incident) } as const;

export const ListIncidentsQuery = {
  $id: 'ListIncidentsQuery',
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['open', 'resolved', 'all'], default: 'open' },
    processId: shortText,
    limit,
    offset,
  },
} as const;

export type ListIncidentsQuery = FromSchema<typeof ListIncidentsQuery>;

export const IncidentActionBody = {
  $id: 'IncidentActionBody',
  type: 'object',
  additionalProperties: false,
  properties: { reason },
} as const;

export type IncidentActionBody = FromSchema<typeof IncidentActionBody>;

export const incidentsSchemas = [Incident, IncidentList, ListIncidentsQuery, IncidentActionBody] as const;
