import { badRequest } from '../errors';
import { defineRoute, type RouteDef } from '../routing';
import { CancelBody, EventBody, EventParams, HistoryQuery, ListProcessesQuery, ProcessDetail, ProcessList, StartProcessBody, StartProcessResponse, Timeline } from './schemas';
import { Accepted, errorReply, IdParams } from '../shared-schemas';
import type { ProcessService } from './service';

export function processRoutes(processes: ProcessService): RouteDef[] {
  const notFound = errorReply('Unknown process, or not visible to the caller (admins, its starter and the roles acting in its definition see it)');
  const notRunning = errorReply('The process is not running');
  return [
    defineRoute({
      method: 'post',
      path: '/api/processes',
      summary: "Start a process instance (the definition's `starters` and admins)",
      tag: 'processes',
      auth: 'user',
      body: StartProcessBody,
      responses: {
        201: { description: 'Started', schema: StartProcessResponse },
        403: errorReply("The caller holds none of the definition's `starters` (not_a_starter)"),
        404: errorReply('Definition (version) not deployed'),
        409: errorReply('A running instance already has this business key'),
        422: errorReply("Variables do not match the definition's schema"),
        503: errorReply('Temporal unavailable; nothing was started'),
      },
      handler: ({ body, user }) => processes.start(user, body),
    }),
    defineRoute({
      method: 'get',
      path: '/api/processes',
      summary: 'List the process instances the caller may see (newest first)',
      tag: 'processes',
      auth: 'user',
      query: ListProcessesQuery,
      responses: { 200: { description: 'A page of instances', schema: ProcessList } },
      handler: ({ query, user }) => processes.list(user, query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/processes/:id',
      summary: 'One instance, with its live state when the workflow answers',
      tag: 'processes',
      auth: 'user',
      params: IdParams,
      responses: { 200: { description: 'The instance', schema: ProcessDetail }, 404: notFound },
      handler: ({ params, user }) => processes.get(user, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/api/processes/:id/history',
      summary: 'Human-readable timeline, oldest first: the business trail (audit trail and steps), or with `view=technical` that merged with the Temporal history',
      tag: 'processes',
      auth: 'user',
      params: IdParams,
      query: HistoryQuery,
      responses: { 200: { description: 'The timeline, oldest first', schema: Timeline }, 404: notFound },
      handler: ({ params, query, user }) => processes.history(user, params.id, query.view),
    }),
    defineRoute({
      method: 'post',
      path: '/api/processes/:id/events/:name',
      summary: 'Deliver an external event to a process; admin only, as it bypasses the checks of the feature APIs (e.g. the payment webhook). Deduplicated by eventId',
      tag: 'processes',
      auth: 'admin',
      params: EventParams,
      body: EventBody,
      headers: [{ name: 'Idempotency-Key', description: 'Used as eventId when the body has none' }],
      responses: {
        202: { description: 'Delivered to the workflow', schema: Accepted },
        400: errorReply('Neither eventId nor Idempotency-Key given'),
        404: notFound,
        409: notRunning,
      },
      handler: async ({ params, body, user, req }) => {
        const eventId = body.eventId ?? req.get('idempotency-key');
        if (!eventId) {
          throw badRequest('missing_event_id', 'Give the event an id: `eventId` in the body or an Idempotency-Key header', [
            { in: 'body', path: '/eventId', message: 'is required when there is no Idempotency-Key header' },
          ]);
        }
        return processes.sendEvent(user, params.id, params.name, eventId, body.payload);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/processes/:id/cancel',
      summary: 'Cancel a running instance (its onCancel step runs first); admin only',
      tag: 'processes',
      auth: 'admin',
      params: IdParams,
      body: CancelBody,
      responses: { 202: { description: 'Cancellation requested', schema: Accepted }, 404: notFound, 409: notRunning },
      handler: ({ params, body, user }) => processes.cancel(user, params.id, body.reason),
    }),
  ];
}
