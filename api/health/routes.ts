import { defineRoute, type RouteDef } from '../routing';
import { Health } from './schemas';
import type { createHealthService } from './service';

export function healthRoutes(health: ReturnType<typeof createHealthService>): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/healthz',
      summary: 'Database and Temporal reachability',
      tag: 'health',
      auth: 'public',
      responses: { 200: { description: 'Both up', schema: Health }, 503: { description: 'One is down', schema: Health } },
      handler: () => health.check(),
      status: (health) => (health.status === 'ok' ? 200 : 503),
    }),
  ];
}
