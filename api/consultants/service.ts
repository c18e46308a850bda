/**
 * Seed 003's registrations: one update-with-start of the person's enrollment (business key: their
 * document, so one registration of a person runs at a time), answered with where it got to. Its first
 * step is the blacklist: a registration the blacklist blocked is answered 403 saying so plainly.
 */
import { CONSULTANT_ENROLLMENT, CREDIT_REQUESTED, KIT_PAID, inNetworkOf, personKey, statusChangeProblem, type StatusChange } from '../../domain/consultants';
import { createConsultantStore, type ConsultantRow } from '../../lib/consultants';
import { toIso } from '../../lib/time';
import { holdsAny, WHOLE_SALES_FORCE } from '../../workflows/policy';
import { HttpError, conflict, forbidden, notFound } from '../errors';
import type { ProcessService } from '../processes/service';
import { NOT_HEARD, type MessageRouter } from '../messages/router';
import { createAgreementStore } from '../../lib/agreements';
import { acceptableAgreement } from '../agreements/service';
import type { AppDeps } from '../deps';
import type { SessionUser } from '../types';
import type { ListConsultantsQuery, RegistrationBody } from './schemas';

export const CONSULTANT_STATUS_CHANGE = 'consultant-status-change';
/** The role of a network's leader (definitions/roles.yaml). */
const NETWORK_LEADER = 'consultant-leader';

const present = (c: ConsultantRow) => ({
  id: c.id, kind: c.kind, status: c.status, name: c.name, email: c.email, country: c.country, documentType: c.document_type, documentNumber: c.document_number, zone: c.zone,
  sponsorId: c.sponsor_id, rank: c.rank, channel: c.channel, creditLimit: Number(c.credit_limit), registeredAt: toIso(c.created_at)!, activatedAt: toIso(c.activated_at),
});

interface EnrollmentVariables {
  person?: { name?: string };
  blacklist?: { blacklisted?: boolean; reasonLabel?: string | null };
  consultant?: { consultantId: string; case: string };
}

export function createConsultantService({ db }: Pick<AppDeps, 'db'>, processes: ProcessService, messages?: MessageRouter) {
  const agreements = createAgreementStore(db);
  const consultants = createConsultantStore(db);

  /** Only a leader's own network: a leader without a back-office role (the company's systems are not held to one). */
  const leaderOnly = (user: SessionUser) => !holdsAny(user, WHOLE_SALES_FORCE) && user.roles.includes(NETWORK_LEADER);

  /** The network a caller is held to: none for back office and web services, their own for a leader (null: they lead none). */
  async function networkOf(user: SessionUser): Promise<{ scoped: false } | { scoped: true; leaderId: string | null }> {
    if (!leaderOnly(user)) return { scoped: false };
    return { scoped: true, leaderId: (await consultants.byUsername(user.username))?.id ?? null };
  }

  /** The person, when the caller may see them (404 otherwise, as for one that does not exist). */
  async function visible(user: SessionUser, id: string): Promise<ConsultantRow> {
    const c = await consultants.byId(id);
    const scope = await networkOf(user);
    if (!c || (scope.scoped && !inNetworkOf(scope.leaderId, c) && c.id !== scope.leaderId)) throw notFound(`consultant ${id} not found`, { id });
    return c;
  }

  async function changeStatus(user: SessionUser, id: string, change: StatusChange, reason: string) {
    const c = await visible(user, id);
    const problem = statusChangeProblem(c, change);
    if (problem) throw conflict('invalid_status_change', `${c.name} ${problem}`, { id, status: c.status, kind: c.kind });
    const via = holdsAny(user, WHOLE_SALES_FORCE) ? 'back-office' : leaderOnly(user) ? 'leader' : 'web-service';
    try {
      const { opened } = await processes.open(
        user,
        { definitionId: CONSULTANT_STATUS_CHANGE, businessKey: c.id, variables: { consultantId: c.id, name: c.name, email: c.email, change, reason, requestedBy: user.username, via } },
        { messageId: `${change}:${c.id}:${Date.now()}`, actor: user.username },
        { internal: true },
      );
      return { processId: opened.instanceId, status: opened.pending ? 'running' : opened.status };
    } catch (err) {
      if (err instanceof HttpError && err.code === 'duplicate_business_key') throw conflict('change_in_progress', `A change of ${c.name}'s state is already being made`, { id });
      throw err;
    }
  }

  return {
    async list(user: SessionUser, q: ListConsultantsQuery) {
      const scope = await networkOf(user);
      const limit = q.limit ?? 50;
      const offset = q.offset ?? 0;
      if (scope.scoped && (!scope.leaderId || (q.sponsorId && q.sponsorId !== scope.leaderId))) return { items: [], total: 0, limit, offset };
      const { rows, total } = await consultants.list({ ...q, ...(scope.scoped ? { sponsorId: scope.leaderId! } : {}), limit, offset });
      return { items: rows.map(present), total, limit, offset };
    },

    async get(user: SessionUser, id: string) {
      const c = await visible(user, id);
      const [history, registrations, network] = await Promise.all([consultants.stateHistory(c.id), consultants.registrations(c.id), consultants.network(c.id)]);
      return {
        ...present(c),
        stateHistory: history.map((h) => ({ from: h.from_status, to: h.to_status, reason: h.reason, at: toIso(h.at)! })),
        registrations: registrations.map((r) => ({ case: r.case, registerAs: r.register_as, channel: r.channel, formType: r.form_type, at: toIso(r.created_at)! })),
        network,
        documents: Array.isArray(c.documents) ? c.documents : [],
      };
    },

    /** The consultant's enrollment hears the message; 409 `not_awaiting_kit` when it waits for no kit (none runs, or it is past that step). */
    async kitMessage(user: SessionUser, id: string, name: typeof KIT_PAID | typeof CREDIT_REQUESTED, messageId: string, payload: Record<string, unknown>) {
      const c = await consultants.byId(id);
      if (!c) throw notFound(`consultant ${id} not found`, { id });
      try {
        const routed = await messages!.send(user, { name, businessKey: personKey({ country: c.country, documentType: c.document_type, documentNumber: c.document_number }), messageId, payload });
        return { received: true as const, processId: routed.opened.instanceId, stage: routed.opened.pending ? null : routed.opened.stage };
      } catch (err) {
        if (err instanceof HttpError && NOT_HEARD.has(err.code)) {
          throw conflict('not_awaiting_kit', `${c.name}'s registration is not waiting for the start kit (they are ${c.status})`, { id, status: c.status });
        }
        throw err;
      }
    },

    inactivate: (user: SessionUser, id: string, reason: string) => changeStatus(user, id, 'inactivate', reason),
    reactivate: (user: SessionUser, id: string, reason: string) => changeStatus(user, id, 'reactivate', reason),

    async register(user: SessionUser, body: RegistrationBody) {
      const businessKey = personKey(body.person);
      // Agreements accepted on the form must be in force and for a new person of this country (no rank yet).
      for (const id of body.acceptedAgreements ?? []) await acceptableAgreement(agreements, id, { country: body.person.country, rank: null });
      let opened;
      try {
        ({ opened } = await processes.open(
          user,
          { definitionId: CONSULTANT_ENROLLMENT, businessKey, variables: body as unknown as Record<string, unknown> },
          { messageId: `registration:${businessKey}:${Date.now()}`, actor: user.username },
          { internal: true },
        ));
      } catch (err) {
        if (err instanceof HttpError && err.code === 'duplicate_business_key') {
          throw conflict('registration_in_progress', `A registration of ${body.person.documentType} ${body.person.documentNumber} is already being processed; wait for its answer`, { businessKey });
        }
        throw err;
      }
      if (opened.pending) return { processId: opened.instanceId, status: 'running', stage: null, case: null, consultantId: null };
      const v = opened.variables as EnrollmentVariables;
      if (v.blacklist?.blacklisted) {
        const why = v.blacklist.reasonLabel ? ` (${v.blacklist.reasonLabel})` : '';
        throw forbidden(`${v.person?.name ?? 'This person'} cannot register: they are on the company's blacklist${why}.`, { processId: opened.instanceId }, 'blacklisted');
      }
      return { processId: opened.instanceId, status: opened.status, stage: opened.stage, case: v.consultant?.case ?? null, consultantId: v.consultant?.consultantId ?? null };
    },
  };
}

export type ConsultantService = ReturnType<typeof createConsultantService>;
