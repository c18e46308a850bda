/**
 * Seed 003's agreements: back office publishes them (a change is a new version that inactivates the one
 * before), and a consultant's acceptance is recorded for the version in force only: an inactive one is
 * 409 naming the version that replaced it. What a consultant still has to accept is domain/agreements'.
 */
import type { Response } from 'express';
import { appliesTo, pendingAgreements, type AgreementPage } from '../../domain/agreements';
import { createAgreementStore, type AcceptanceListRow, type AgreementRow, type AgreementStore } from '../../lib/agreements';
import { createConsultantStore } from '../../lib/consultants';
import { toIso } from '../../lib/time';
import type { AppDeps } from '../deps';
import { conflict, notFound, unprocessable } from '../errors';
import { sendSheets } from '../reports/export';
import type { SessionUser } from '../types';
import type { AcceptancesQuery, ListAgreementsQuery, NewAgreementBody } from './schemas';

const summary = (a: AgreementRow) => ({
  id: a.id, code: a.code, version: a.version, country: a.country, rank: a.rank, title: a.title, pages: a.pages, active: a.active, createdAt: toIso(a.created_at)!, inactivatedAt: toIso(a.inactivated_at),
});
const presentAcceptance = (r: AcceptanceListRow) => ({
  agreementId: r.agreement_id, code: r.code, version: r.version, consultantId: r.consultant_id, name: r.name, document: `${r.country} ${r.document_type} ${r.document_number}`,
  page: r.page, acceptedBy: r.accepted_by, acceptedAt: toIso(r.accepted_at)!,
});

/**
 * The agreement, when the person may accept it: 404 unknown, 409 `agreement_inactive` naming the version
 * in force, 422 `agreement_not_applicable` for another country or rank. Registration checks the form's
 * acceptances with it too.
 */
export async function acceptableAgreement(agreements: AgreementStore, agreementId: string, person: { country: string; rank: string | null }): Promise<AgreementRow> {
  const a = await agreements.get(agreementId);
  if (!a) throw notFound(`agreement ${agreementId} not found`, { id: agreementId });
  if (!a.active) {
    const current = await agreements.activeOf(a.code);
    const instead = current ? `: version ${current.version} replaced it; accept that one` : ': it was withdrawn';
    throw conflict('agreement_inactive', `${a.title} version ${a.version} is no longer in force${instead}`, { agreementId, code: a.code, version: a.version, current: current ? { id: current.id, version: current.version } : null });
  }
  if (!appliesTo(a, person)) throw unprocessable('agreement_not_applicable', `${a.title} is for ${a.country}${a.rank ? ` consultants of rank ${a.rank}` : ''}, not for this person`, { agreementId });
  return a;
}

export function createAgreementService({ db }: Pick<AppDeps, 'db'>) {
  const agreements = createAgreementStore(db);
  const consultants = createConsultantStore(db);

  async function requireConsultant(id: string) {
    const c = await consultants.byId(id);
    if (!c) throw notFound(`consultant ${id} not found`, { id });
    return c;
  }

  return {
    list: async (q: ListAgreementsQuery) => ({ items: (await agreements.list(q)).map(summary) }),

    async publish(user: SessionUser, body: NewAgreementBody) {
      const { agreement, superseded } = await agreements.publish({ ...body, rank: body.rank ?? null, createdBy: user.username });
      return { agreement: summary(agreement), superseded: superseded && summary(superseded) };
    },

    async get(id: string) {
      const a = await agreements.get(id);
      if (!a) throw notFound(`agreement ${id} not found`, { id });
      return { ...summary(a), content: a.content, supersedesId: a.supersedes_id };
    },

    async inactivate(id: string) {
      const a = await agreements.inactivate(id);
      if (!a) throw notFound(`agreement ${id} not found`, { id });
      return summary(a);
    },

    async acceptances(q: AcceptancesQuery, res: Response) {
      const csv = q.format === 'csv';
      const { rows, total } = await agreements.acceptances({ ...q, limit: csv ? 100_000 : (q.limit ?? 50), offset: csv ? 0 : (q.offset ?? 0) });
      const items = rows.map(presentAcceptance);
      if (!csv) return { items, total, limit: q.limit ?? 50, offset: q.offset ?? 0 };
      await sendSheets(res, 'csv', 'aceptaciones-contratos', [{
        name: 'Aceptaciones',
        columns: [
          { header: 'Contrato', key: 'code' }, { header: 'Versión', key: 'version' }, { header: 'Persona', key: 'name' }, { header: 'Documento', key: 'document' },
          { header: 'Dónde', key: 'page' }, { header: 'Aceptado por', key: 'acceptedBy' }, { header: 'Fecha', key: 'acceptedAt' },
        ],
        rows: items,
      }]);
      return undefined;
    },

    /** What the consultant accepted, and what they still have to (the agreements in force that apply to them). */
    async ofConsultant(consultantId: string) {
      const c = await requireConsultant(consultantId);
      const accepted = await agreements.acceptedIds(c.id);
      const all = await agreements.list({ country: c.country });
      const pending = pendingAgreements(all, c, accepted);
      const byId = new Map(all.map((a) => [a.id, a]));
      const { rows } = await agreements.acceptances({ consultantId: c.id, limit: 10_000, offset: 0 });
      return {
        pending: pending.map(summary),
        accepted: rows.map((r) => ({ agreementId: r.agreement_id, code: r.code, version: r.version, active: byId.get(r.agreement_id)?.active ?? false, page: r.page, acceptedAt: toIso(r.accepted_at)! })),
      };
    },

    /** Records the acceptance of the version in force; an inactive version is 409 naming the one in force. */
    async accept(user: SessionUser, consultantId: string, agreementId: string, page: AgreementPage) {
      const c = await requireConsultant(consultantId);
      const a = await acceptableAgreement(agreements, agreementId, c);
      const { acceptance, first } = await agreements.accept(a.id, c.id, page, user.username);
      return { agreementId: a.id, consultantId: c.id, acceptedAt: toIso(acceptance.accepted_at)!, first };
    },
  };
}

export type AgreementService = ReturnType<typeof createAgreementService>;
