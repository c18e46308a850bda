/**
 * Seed 002's ways into a residential sale besides the back office's start:
 * - the public intake: a prospect from the web form, social networks or the chatbot becomes a
 *   residential-sale, one Temporal start keyed by the prospect's phone. The answer is the same whatever
 *   happened (started, already being worked, caught by the honeypot), so the endpoint tells a stranger
 *   nothing about who else asked. Submissions are limited per address;
 * - the re-entry of an unattended sale (step 20): a new run under the same business key (free again
 *   once the old one ended), linked to it and carrying its prospect and customer data. The new sale's
 *   first step marks the request as taken up.
 */
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { AppDeps } from '../deps';
import { digest, limiter, tooManyAttempts } from '../auth/login-limits';
import { conflict, HttpError, invalidFields, notFound } from '../errors';
import { createUnattendedStore } from '../../lib/unattended-requests';
import { renderContractRequestPdf, type ContractRequest } from '../../lib/contract-request-pdf';
import type { ProcessService } from '../processes/service';
import type { SessionUser } from '../types';
import { prospectKey, RESIDENTIAL_SALE } from '../../domain/residential';
import type { ProspectBody } from './schemas';


const RECEIVED = { received: true } as const;

export function createProspectService({ db, config }: Pick<AppDeps, 'db' | 'config'>, processes: ProcessService) {
  const perAddress = limiter(db, 'public-form-address', config.auth.publicFormsPerAddress);
  const unattended = createUnattendedStore(db);

  return {
    async receive(body: ProspectBody, address: string) {
      try {
        await perAddress.consume(digest(address));
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        throw tooManyAttempts(err.msBeforeNext, 'too_many_submissions', 'Too many requests from this address');
      }
      if (body.website) return RECEIVED;
      const businessKey = prospectKey(body.phone);
      if (!businessKey) throw invalidFields('invalid_phone', 'body', [{ field: 'phone', message: 'must have 6 to 15 digits' }]);
      // The channel that brought the prospect is who started the sale.
      const intake: SessionUser = { id: `intake:${body.channel}`, username: `intake:${body.channel}`, roles: [] };
      const { website: _honeypot, ...prospect } = body;
      try {
        await processes.open(
          intake,
          { definitionId: RESIDENTIAL_SALE, businessKey, variables: { prospect } },
          { messageId: `prospect:${businessKey}:${Date.now()}`, actor: intake.username },
          { internal: true },
        );
      } catch (err) {
        // This phone's sale is already being worked: the prospect asked again.
        if (err instanceof HttpError && err.code === 'duplicate_business_key') return RECEIVED;
        throw err;
      }
      return RECEIVED;
    },

    /** The service-contract request of a sale whose offer the customer accepted, as a PDF. */
    async contractRequest(user: SessionUser, processId: string): Promise<{ filename: string; pdf: Uint8Array }> {
      const sale = await processes.get(user, processId);
      if (sale.definitionId !== RESIDENTIAL_SALE) throw notFound(`${processId} is not a residential sale`, { processId });
      const v = sale.variables as {
        quote?: ContractRequest['plan'] & { quoted: boolean };
        customer?: { data: ContractRequest['customer'] };
        offer?: { completedAt?: string };
        paymentMode?: { outcome: string };
        executive?: { name: string };
        classification?: { completedBy: string };
      };
      if (!v.quote?.quoted || !v.customer?.data) {
        throw conflict('no_accepted_offer', `${processId} has no accepted plan yet: the contract request is printed once the customer accepts the offer`);
      }
      const request: ContractRequest = {
        processId,
        businessKey: sale.businessKey,
        at: new Date(v.offer?.completedAt ?? sale.startedAt),
        customer: v.customer.data,
        plan: v.quote,
        paymentMode: v.paymentMode?.outcome ?? null,
        executive: v.executive?.name ?? v.classification?.completedBy ?? '-',
      };
      return { filename: `solicitud-${sale.businessKey}.pdf`, pdf: await renderContractRequestPdf(request) };
    },

    async reenter(user: SessionUser, processId: string) {
      const request = await unattended.ofInstance(processId);
      if (!request) throw notFound(`${processId} is not an unattended residential request`, { processId });
      if (request.reentered_as) throw conflict('already_reentered', `${processId} was re-entered already, as ${request.reentered_as}`, { reenteredAs: request.reentered_as });
      const old = await processes.get(user, processId);
      const { prospect, executive, customer } = old.variables as Record<string, unknown>;
      const { dv, opened } = await processes.open(
        user,
        {
          definitionId: RESIDENTIAL_SALE,
          businessKey: request.business_key,
          variables: { prospect, ...(executive ? { executive } : {}), ...(customer ? { customer } : {}), reentryOf: processId },
        },
        { messageId: `reentry:${processId}`, actor: user.username },
        { internal: true },
      );
      return { id: opened.instanceId, definitionId: dv.id, version: dv.version, businessKey: request.business_key, reentryOf: processId };
    },
  };
}

export type ProspectService = ReturnType<typeof createProspectService>;
