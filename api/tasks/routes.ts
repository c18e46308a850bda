import { defineRoute, type RouteDef } from '../routing';
import { errorReply, IdParams } from '../shared-schemas';
import { CompleteTaskBody, CompleteTaskResponse, ListTasksQuery, Task, TaskList } from './schemas';
import type { TaskService } from './service';

export function taskRoutes(tasks: TaskService): RouteDef[] {
  const refusals = {
    403: errorReply('Caller sees the task (its assignee) but holds none of its candidate roles (NotACandidate)'),
    404: errorReply('Unknown task, or not visible to the caller (TaskNotFound)'),
    409: errorReply('Task not open (TaskNotOpen) or claimed by someone else (ClaimedByOther)'),
  };
  return [
    defineRoute({
      method: 'get',
      path: '/api/tasks',
      summary: "Inbox: open tasks for the caller's roles or assigned to the caller (admin: all)",
      tag: 'tasks',
      auth: 'user',
      query: ListTasksQuery,
      responses: { 200: { description: 'A page of tasks, most urgent first', schema: TaskList } },
      handler: ({ query, user }) => tasks.list(user, query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/tasks/:id',
      summary: 'One task (visible to its candidate roles, its assignee, whoever completed it, and admins)',
      tag: 'tasks',
      auth: 'user',
      params: IdParams,
      responses: { 200: { description: 'The task', schema: Task }, 404: refusals[404] },
      handler: ({ params, user }) => tasks.get(user, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/tasks/:id/claim',
      summary: 'Claim a task (a candidate; an admin may take over a task claimed by someone else)',
      tag: 'tasks',
      auth: 'user',
      params: IdParams,
      responses: { 200: { description: 'The claimed task (workflow view)' }, ...refusals },
      handler: ({ params, user }) => tasks.claim(user, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/tasks/:id/release',
      summary: 'Give a claimed task back to the pool',
      tag: 'tasks',
      auth: 'user',
      params: IdParams,
      responses: { 200: { description: 'The released task (workflow view)' }, ...refusals },
      handler: ({ params, user }) => tasks.claim(user, params.id, true),
    }),
    defineRoute({
      method: 'post',
      path: '/api/tasks/:id/complete',
      summary: 'Complete a task with one of its outcomes and its form data',
      tag: 'tasks',
      auth: 'user',
      params: IdParams,
      body: CompleteTaskBody,
      responses: {
        200: { description: 'Completed', schema: CompleteTaskResponse },
        ...refusals,
        422: errorReply('Unknown outcome (UnknownOutcome) or data not matching the form (InvalidFormData, details = problems)'),
      },
      handler: ({ params, body, user }) => tasks.complete(user, params.id, body),
    }),
  ];
}
