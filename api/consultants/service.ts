/**
 * Seed 003's registrations: one update-with-start of the person's enrollment (business key: their
 * document, so one registration of a person runs at a time), answered with where it got to. Its first
 * step is the blacklist: a registration the blacklist blocked is answered 403 saying so plainly.
 */
import { CONSULTANT_ENROLLMENT, personKey } from '../../domain/consultants';
import { HttpError, conflict, forbidden } from '../errors';
import type { ProcessService } from '../processes/service';
import { createAgreementStore } from '../../lib/agreements';
import { acceptableAgreement } from '../agreements/service';
import type { AppDeps } from '../deps';
import type { SessionUser } from '../types';
import type { RegistrationBody } from './schemas';

interface EnrollmentVariables {
  person?: { name?: string };
  blacklist?: { blacklisted?: boolean; reasonLabel?: string | null };
  consultant?: { consultantId: string; case: string };
}

export function createConsultantService({ db }: Pick<AppDeps, 'db'>, processes: ProcessService) {
  const agreements = createAgreementStore(db);
  return {
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
