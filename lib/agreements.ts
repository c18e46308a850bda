/**
 * SQL for seed 003's agreements (tables `agreements` and `agreement_acceptances`, migration 038). A
 * change publishes a new version and inactivates the active one of its code in one transaction; an
 * acceptance is once per person and version.
 */
import type { Knex } from 'knex';
import type { AgreementPage } from '../domain/agreements';

export interface AgreementRow {
  id: string;
  code: string;
  version: number;
  country: string;
  rank: string | null;
  title: string;
  content: string;
  pages: AgreementPage[];
  active: boolean;
  supersedes_id: string | null;
  created_by: string;
  created_at: Date;
  inactivated_at: Date | null;
}

export interface NewAgreement { code: string; country: string; rank: string | null; title: string; content: string; pages: AgreementPage[]; createdBy: string }

export interface AcceptanceRow {
  agreement_id: string;
  consultant_id: string;
  page: AgreementPage;
  accepted_by: string;
  accepted_at: Date;
}

export interface AcceptanceListRow extends AcceptanceRow { code: string; version: number; title: string; name: string; country: string; document_type: string; document_number: string }

export function createAgreementStore(db: Knex) {
  return {
    /** The new version of `code` (1 when it is new) and the version it inactivated, if any. */
    async publish(a: NewAgreement): Promise<{ agreement: AgreementRow; superseded: AgreementRow | null }> {
      return db.transaction(async (trx) => {
        // Versions of one code are published one at a time: the lock orders two editors.
        await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`agreement:${a.code}`]);
        const latest: AgreementRow | undefined = await trx('agreements').where({ code: a.code }).orderBy('version', 'desc').first();
        const [superseded] = latest?.active
          ? await trx('agreements').where({ id: latest.id }).update({ active: false, inactivated_at: trx.fn.now() }).returning('*')
          : [null];
        const [agreement] = await trx('agreements')
          .insert({ code: a.code, version: (latest?.version ?? 0) + 1, country: a.country.toUpperCase(), rank: a.rank, title: a.title, content: a.content, pages: a.pages, supersedes_id: latest?.id ?? null, created_by: a.createdBy })
          .returning('*');
        return { agreement, superseded: superseded ?? null };
      });
    },

    async get(id: string): Promise<AgreementRow | undefined> {
      return db('agreements').where({ id }).first();
    },

    /** The active version of the code, if any. */
    async activeOf(code: string): Promise<AgreementRow | undefined> {
      return db('agreements').where({ code, active: true }).first();
    },

    async list(f: { country?: string; active?: boolean }): Promise<AgreementRow[]> {
      const q = db('agreements');
      if (f.country) q.where({ country: f.country.toUpperCase() });
      if (f.active !== undefined) q.where({ active: f.active });
      return q.orderBy([{ column: 'code' }, { column: 'version', order: 'desc' }]);
    },

    /** Inactivated without a new version (the agreement is withdrawn); undefined when it does not exist. */
    async inactivate(id: string): Promise<AgreementRow | undefined> {
      const [row] = await db('agreements').where({ id, active: true }).update({ active: false, inactivated_at: db.fn.now() }).returning('*');
      return row ?? this.get(id);
    },

    /** The acceptance, recorded once: accepting again keeps the first one. */
    async accept(agreementId: string, consultantId: string, page: AgreementPage, acceptedBy: string): Promise<{ acceptance: AcceptanceRow; first: boolean }> {
      const [inserted] = await db('agreement_acceptances').insert({ agreement_id: agreementId, consultant_id: consultantId, page, accepted_by: acceptedBy }).onConflict(['agreement_id', 'consultant_id']).ignore().returning('*');
      if (inserted) return { acceptance: inserted, first: true };
      return { acceptance: await db('agreement_acceptances').where({ agreement_id: agreementId, consultant_id: consultantId }).first(), first: false };
    },

    async acceptedIds(consultantId: string): Promise<Set<string>> {
      return new Set(await db('agreement_acceptances').where({ consultant_id: consultantId }).pluck('agreement_id'));
    },

    /** Who accepted what, oldest first: one agreement's version, one person's, or every one of a country. */
    async acceptances(f: { agreementId?: string; consultantId?: string; country?: string; limit: number; offset: number }): Promise<{ rows: AcceptanceListRow[]; total: number }> {
      const q = db('agreement_acceptances as x').join('agreements as a', 'a.id', 'x.agreement_id').join('consultants as c', 'c.id', 'x.consultant_id');
      if (f.agreementId) q.where('x.agreement_id', f.agreementId);
      if (f.consultantId) q.where('x.consultant_id', f.consultantId);
      if (f.country) q.where('a.country', f.country.toUpperCase());
      const [{ count }] = await q.clone().count<{ count: string }[]>('* as count');
      const rows = await q
        .orderBy([{ column: 'x.accepted_at' }, { column: 'x.consultant_id' }])
        .limit(f.limit)
        .offset(f.offset)
        .select('x.*', 'a.code', 'a.version', 'a.title', 'c.name', 'c.country', 'c.document_type', 'c.document_number');
      return { rows, total: Number(count) };
    },
  };
}

export type AgreementStore = ReturnType<typeof createAgreementStore>;
