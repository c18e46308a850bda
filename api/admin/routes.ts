import { defineRoute, type RouteDef } from '../routing';
import { ReconcileBody, ReconcileReport } from './schemas';
import type { AdminService } from './service';

export function adminRoutes(admin: AdminService): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/admin/reconcile',
      summary: "Compare every running instance with Temporal and close those Temporal has closed (terminated, timed out, failed outside Cauce), withdrawing their open tasks; admin only",
      tag: 'admin',
      auth: 'admin',
      body: ReconcileBody,
      responses: { 200: { description: 'What was compared and what changed', schema: ReconcileReport } },
      handler: ({ user, body }) => admin.reconcile(user, body),
    }),
  ];
}
