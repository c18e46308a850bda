/** The inbox and task completion. Request and response schemas; api/schemas.ts registers them. */
import type { FromSchema } from 'json-schema-to-ts';
import { nullableString, nullableObject, dateTime, nullableDateTime, stringList, limit, offset, anyObject, page } from '../shared-schemas';

const taskStatus = { type: 'string', enum: ['open', 'completed', 'cancelled'] } as const;

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
    assignee: nullableString,
    outcomes: stringList,
    form: nullableObject,
    dueAt: nullableDateTime,
    overdue: { type: 'boolean' },
    escalatedAt: nullableDateTime,
    createdAt: dateTime,
    claimedAt: nullableDateTime,
    outcome: nullableString,
    data: nullableObject,
    completedBy: nullableString,
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

export const tasksSchemas = [ListTasksQuery, Task, TaskList, CompleteTaskBody, CompleteTaskResponse] as const;
