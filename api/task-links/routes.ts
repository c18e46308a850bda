import { clientAddress } from '../auth/login-limits';
import { defineRoute, type RouteDef } from '../routing';
import { errorReply, IdParams, UuidParams } from '../shared-schemas';
import { PublicCompleteBody, PublicCompleted, PublicTask, SendTaskLinkBody, TaskLink, TaskLinkList, TaskLinkTokenParams } from './schemas';
import type { TaskLinkService } from './service';


export function taskLinkRoutes(links: TaskLinkService): RouteDef[] {
  const dead = {
    404: errorReply('No link has this token (link_not_found)'),
    410: errorReply('The link is revoked (link_revoked), used (link_used) or expired (link_expired), or its task was closed some other way (task_closed)'),
    429: errorReply('Too many attempts from this address; see Retry-After'),
  };
  return [
    defineRoute({
      method: 'get',
      path: '/api/public/task-links/:token',
      summary: "The one task a participant's link opens: its title, description, form and outcomes (public; the token is the credential)",
      tag: 'task-links',
      auth: 'public',
      params: TaskLinkTokenParams,
      responses: { 200: { description: 'The task', schema: PublicTask }, ...dead },
      handler: ({ params, req }) => links.open(params.token, clientAddress(req)),
    }),
    defineRoute({
      method: 'post',
      path: '/api/public/task-links/:token/complete',
      summary: "Complete the link's task with an outcome and its form data; the link is then used (public; the actor is the link's e-mail)",
      tag: 'task-links',
      auth: 'public',
      params: TaskLinkTokenParams,
      body: PublicCompleteBody,
      responses: {
        200: { description: 'Completed', schema: PublicCompleted },
        ...dead,
        422: errorReply('Unknown outcome (UnknownOutcome) or data not matching the form (InvalidFormData); the link stays usable'),
      },
      handler: ({ params, body, req }) => links.complete(params.token, body, clientAddress(req)),
    }),
    defineRoute({
      method: 'get',
      path: '/api/tasks/:id/links',
      summary: "A task's links, newest first, with their status (operators; no secrets)",
      tag: 'task-links',
      auth: 'admin',
      params: IdParams,
      responses: { 200: { description: 'The links', schema: TaskLinkList }, 404: errorReply('Unknown task (TaskNotFound)') },
      handler: ({ params }) => links.list(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/tasks/:id/links',
      summary: "Send a new link to the task's participant, or to another e-mail; the task's other links are revoked (operators)",
      tag: 'task-links',
      auth: 'admin',
      params: IdParams,
      body: SendTaskLinkBody,
      responses: {
        201: { description: 'Sent (queued in the outbox)', schema: TaskLink },
        404: errorReply('Unknown task (TaskNotFound)'),
        409: errorReply('The task is not open (TaskNotOpen)'),
        422: errorReply('No e-mail given and none known (email_required), or a bad expiresIn (invalid_duration)'),
      },
      handler: ({ params, body, user }) => links.send(user, params.id, body),
    }),
    defineRoute({
      method: 'post',
      path: '/api/task-links/:id/revoke',
      summary: 'Revoke a task link: it opens nothing from then on (operators)',
      tag: 'task-links',
      auth: 'admin',
      params: UuidParams,
      responses: { 200: { description: 'The revoked link', schema: TaskLink }, 404: errorReply('Unknown link') },
      handler: ({ params, user }) => links.revoke(user, params.id),
    }),
  ];
}
