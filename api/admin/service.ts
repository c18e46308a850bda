/** Operator maintenance: reconciling the instance projection with Temporal (lib/reconcile.ts). */
import { reconcileAll } from '../../lib/reconcile';
import type { AppDeps } from '../deps';
import type { ReconcileBody } from './schemas';
import type { SessionUser } from '../types';

export function createAdminService({ db, temporal }: AppDeps) {
  return {
    reconcile(user: SessionUser, body: ReconcileBody) {
      return reconcileAll(db, temporal, { actor: user.username, closeMissing: body.closeMissing });
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
