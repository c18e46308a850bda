/** A definition's pipeline board (seed 001's leads): columns from its stages, cards paged per column. */
import type { FromSchema } from 'json-schema-to-ts';
import { dateTime, kebabId } from '../shared-schemas';

export const BoardParams = {
  $id: 'BoardParams',
  type: 'object',
  required: ['definitionId'],
  additionalProperties: false,
  properties: { definitionId: kebabId },
} as const;

export const BoardColumnParams = {
  $id: 'BoardColumnParams',
  type: 'object',
  required: ['definitionId', 'stage'],
  additionalProperties: false,
  properties: { definitionId: kebabId, stage: { type: 'string', minLength: 1, maxLength: 100 } },
} as const;

export const BoardColumnQuery = {
  $id: 'BoardColumnQuery',
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
    after: { type: 'string', maxLength: 300, description: 'The `next` of the previous page.' },
  },
} as const;
export type BoardColumnQuery = FromSchema<typeof BoardColumnQuery>;

export const Board = {
  $id: 'Board',
  type: 'object',
  required: ['definitionId', 'columns'],
  properties: {
    definitionId: { type: 'string' },
    columns: { type: 'array', description: "The definition's stages, in its order, with the running instances in each.", items: { type: 'object', required: ['stage', 'count'], properties: { stage: { type: 'string' }, count: { type: 'integer' } } } },
  },
} as const;

export const BoardColumn = {
  $id: 'BoardColumn',
  type: 'object',
  required: ['stage', 'items', 'next'],
  properties: {
    stage: { type: 'string' },
    next: { type: ['string', 'null'], description: 'Pass as `after` for the next page; null at the end.' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['processId', 'businessKey', 'title', 'startedBy', 'startedAt', 'moves'],
        properties: {
          processId: { type: 'string' },
          businessKey: { type: 'string' },
          title: { type: 'string', description: "The lead's contact and company." },
          startedBy: { type: 'string' },
          startedAt: dateTime,
          moves: {
            type: 'array',
            description: 'Where the card can be dragged: completing its open task with `outcome` takes it to `stage`.',
            items: { type: 'object', required: ['stage', 'taskId', 'outcome'], properties: { stage: { type: 'string' }, taskId: { type: 'string' }, outcome: { type: 'string' } } },
          },
        },
      },
    },
  },
} as const;

export const boardsSchemas = [BoardParams, BoardColumnParams, BoardColumnQuery, Board, BoardColumn] as const;
