import { defineRoute, type RouteDef } from '../routing';
import { Incident, IncidentActionBody, IncidentList, ListIncidentsQuery } from './schemas';
import { Accepted, errorReply, UuidParams } from '../shared-schemas';
import type { IncidentService } from './service';

export function incidentRoutes(incidents: IncidentService): RouteDef[] {
  const notFound = errorReply('Unknown incident');
  const resolved = errorReply('The incident is no longer open');
  return [
    defineRoute({
      method: 'get',
      path: '/api/incidents',
      summary: 'Incidents (open by default), newest first; operators only',
      tag: 'incidents',
      auth: 'admin',
      query: ListIncidentsQuery,
      responses: { 200: { description: 'A page of incidents', schema: IncidentList } },
      handler: ({ query }) => incidents.list(query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/incidents/:id',
      summary: 'One incident; operators only',
      tag: 'incidents',
      auth: 'admin',
      params: UuidParams,
      responses: { 200: { description: 'The incident', schema: Incident }, 404: notFound },
      handler: ({ params }) => incidents.get(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/incidents/:id/retry',
      summary: 'Run the stopped step again; operators only (audited)',
      tag: 'incidents',
      auth: 'admin',
      params: UuidParams,
      responses: { 200: { description: 'Retried: the incident is resolved', schema: Incident }, 404: notFound, 409: resolved },
      handler: ({ params, user }) => incidents.retry(user, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/incidents/:id/cancel',
      summary: "Cancel the incident's instance (its onCancel step runs); operators only (audited)",
      tag: 'incidents',
      auth: 'admin',
      params: UuidParams,
      body: IncidentActionBody,
      responses: { 202: { description: 'Cancellation requested', schema: Accepted }, 404: notFound, 409: resolved },
      handler: ({ params, body, user }) => incidents.cancel(user, params.id, body.reason),
    }),
    defineRoute({
      method: 'post',
      path: '/api/incidents/:id/terminate',
      summary: "Terminate the incident's instance in Temporal at once (no onCancel step); operators only (audited)",
      tag: 'incidents',
      auth: 'admin',
      params: UuidParams,
      body: IncidentActionBody,
      responses: { 200: { description: 'Terminated: the instance, its tasks and incidents are closed', schema: Accepted }, 404: notFound, 409: resolved },
      handler: ({ params, body, user }) => incidents.terminate(user, params.id, body.reason),
    }),
  ];
}
