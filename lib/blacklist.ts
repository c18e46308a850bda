/**
 * SQL for seed 003's blacklist (tables `blacklist` and `blacklist_reasons`, migrations 002 and 037). An
 * entry names a person by document (and optionally e-mail) with a reason from the company's list; a
 * removed entry is kept with who removed it and why, and blocks no one.
 */
import type { Knex } from 'knex';
import { normalizeDocumentNumber } from '../domain/consultants';

export interface BlacklistReasonRow { code: string; label: string; active: boolean; created_at: Date }

export interface BlacklistRow {
  id: string;
  country: string;
  document_type: string;
  document_number: string;
  email: string | null;
  reason_code: string;
  reason: string;
  created_by: string | null;
  created_at: Date;
  removed_at: Date | null;
  removed_by: string | null;
  removal_reason: string | null;
}

export interface BlacklistHit { id: string; reasonCode: string; reasonLabel: string; reason: string }

export interface NewBlacklistEntry { country: string; documentType: string; documentNumber: string; email: string | null; reasonCode: string; reason: string; createdBy: string }

export interface BlacklistFilter { country?: string; documentNumber?: string; email?: string; includeRemoved?: boolean; limit: number; offset: number }

export function createBlacklistStore(db: Knex) {
  return {
    /** The live entry that blocks this person, by document or by e-mail; null when none does. */
    async hit(p: { country: string; documentType: string; documentNumber: string; email?: string | null }): Promise<BlacklistHit | null> {
      const email = p.email?.trim().toLowerCase() || null;
      const row = await db('blacklist as b')
        .join('blacklist_reasons as r', 'r.code', 'b.reason_code')
        .whereNull('b.removed_at')
        .where((q) => {
          q.where({ 'b.country': p.country.toUpperCase(), 'b.document_type': p.documentType, 'b.document_number': normalizeDocumentNumber(p.documentNumber) });
          if (email) q.orWhereRaw('lower(b.email) = ?', [email]);
        })
        .orderBy('b.id')
        .first('b.id', 'b.reason_code', 'b.reason', 'r.label');
      return row ? { id: String(row.id), reasonCode: row.reason_code, reasonLabel: row.label, reason: row.reason } : null;
    },

    async add(e: NewBlacklistEntry): Promise<BlacklistRow> {
      const [row] = await db('blacklist')
        .insert({
          country: e.country.toUpperCase(), document_type: e.documentType, document_number: normalizeDocumentNumber(e.documentNumber),
          email: e.email?.trim().toLowerCase() || null, reason_code: e.reasonCode, reason: e.reason, created_by: e.createdBy,
        })
        .returning('*');
      return row;
    },

    async get(id: string): Promise<BlacklistRow | undefined> {
      return db('blacklist').where({ id }).first();
    },

    /** The entry removed (kept, with who and why); undefined when there is none, unchanged when it was removed before. */
    async remove(id: string, removedBy: string, reason: string): Promise<BlacklistRow | undefined> {
      const [row] = await db('blacklist').where({ id }).whereNull('removed_at').update({ removed_at: db.fn.now(), removed_by: removedBy, removal_reason: reason }).returning('*');
      return row ?? this.get(id);
    },

    async list(f: BlacklistFilter): Promise<{ rows: BlacklistRow[]; total: number }> {
      const q = db('blacklist');
      if (!f.includeRemoved) q.whereNull('removed_at');
      if (f.country) q.where({ country: f.country.toUpperCase() });
      if (f.documentNumber) q.where({ document_number: normalizeDocumentNumber(f.documentNumber) });
      if (f.email) q.whereRaw('lower(email) = ?', [f.email.trim().toLowerCase()]);
      const [{ count }] = await q.clone().count<{ count: string }[]>('* as count');
      const rows = (await q.orderBy('id', 'desc').limit(f.limit).offset(f.offset)) as BlacklistRow[];
      return { rows, total: Number(count) };
    },

    async reasons(): Promise<BlacklistReasonRow[]> {
      return db('blacklist_reasons').orderBy('code');
    },

    async reason(code: string): Promise<BlacklistReasonRow | undefined> {
      return db('blacklist_reasons').where({ code }).first();
    },

    /** A new reason; undefined when the code is taken. */
    async addReason(code: string, label: string): Promise<BlacklistReasonRow | undefined> {
      const [row] = await db('blacklist_reasons').insert({ code, label }).onConflict('code').ignore().returning('*');
      return row;
    },

    /** A reason relabelled or (in)activated: an inactive one is kept on its entries but offered for no new one. */
    async updateReason(code: string, change: { label?: string; active?: boolean }): Promise<BlacklistReasonRow | undefined> {
      const [row] = await db('blacklist_reasons').where({ code }).update(change).returning('*');
      return row;
    },
  };
}
