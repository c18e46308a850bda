/**
 * Seed 003's blacklist, kept by back office: entries name a person by document (and optionally e-mail)
 * with a reason from the company's list. A blacklisted person's registration ends blocked (the
 * enrollment's first check, definitions/consultant-enrollment.yaml); a removed entry is kept with who
 * removed it and why.
 */
import { createBlacklistStore, type BlacklistReasonRow, type BlacklistRow } from '../../lib/blacklist';
import { toIso } from '../../lib/time';
import type { AppDeps } from '../deps';
import { conflict, invalidFields, notFound } from '../errors';
import type { SessionUser } from '../types';
import type { ListBlacklistQuery, NewBlacklistEntryBody } from './schemas';

const present = (r: BlacklistRow) => ({
  id: String(r.id), country: r.country, documentType: r.document_type, documentNumber: r.document_number, email: r.email, reasonCode: r.reason_code, reason: r.reason,
  createdBy: r.created_by, createdAt: toIso(r.created_at)!, removedAt: toIso(r.removed_at), removedBy: r.removed_by, removalReason: r.removal_reason,
});
const presentReason = (r: BlacklistReasonRow) => ({ code: r.code, label: r.label, active: r.active });

export function createBlacklistService({ db }: Pick<AppDeps, 'db'>) {
  const store = createBlacklistStore(db);
  return {
    async list(q: ListBlacklistQuery) {
      const { rows, total } = await store.list({ ...q, limit: q.limit ?? 50, offset: q.offset ?? 0 });
      return { items: rows.map(present), total, limit: q.limit ?? 50, offset: q.offset ?? 0 };
    },

    async add(user: SessionUser, body: NewBlacklistEntryBody) {
      const known = await store.reason(body.reasonCode);
      if (!known?.active) {
        const active = (await store.reasons()).filter((r) => r.active).map((r) => r.code);
        throw invalidFields('unknown_reason', 'body', [{ field: 'reasonCode', message: `${body.reasonCode} is not an active reason; the reasons are ${active.join(', ')}` }]);
      }
      return present(await store.add({ ...body, email: body.email ?? null, createdBy: user.username }));
    },

    async remove(user: SessionUser, id: string, reason: string) {
      const row = await store.remove(id, user.username, reason);
      if (!row) throw notFound(`blacklist entry ${id} not found`, { id });
      return present(row);
    },

    reasons: async () => ({ items: (await store.reasons()).map(presentReason) }),

    async addReason(code: string, label: string) {
      const row = await store.addReason(code, label);
      if (!row) throw conflict('reason_exists', `The reason ${code} exists already: change its label instead`, { code });
      return presentReason(row);
    },

    async changeReason(code: string, change: { label?: string; active?: boolean }) {
      const row = await store.updateReason(code, change);
      if (!row) throw notFound(`reason ${code} not found`, { code });
      return presentReason(row);
    },
  };
}

export type BlacklistService = ReturnType<typeof createBlacklistService>;
