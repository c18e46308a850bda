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
  properties: {
    taskId: { type: 'string' },
    outcome: { type: 'string' },
    completedBy: { type: 'string' },
    completedAt: dateTime,
    instance: {
      type: 'object',
      description:
        'Where the instance stands once the completion is durable: its status, the steps it is at, and the open tasks the caller may see (to go on to the next one). Absent for instances started before it existed.',
      required: ['id', 'status', 'currentSteps', 'tasks'],
      properties: { id: { type: 'string' }, status: { type: 'string' }, currentSteps: { type: 'array', items: { type: 'string' } }, tasks: { type: 'array', items: { type: 'object' } } },
    },
  },
} as const;

export const tasksSchemas = [ListTasksQuery, Task, TaskList, CompleteTaskBody, CompleteTaskResponse] as const;
