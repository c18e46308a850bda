/**
 * Seed 002's ways into a residential sale besides the back office's start:
 * - the public intake: a prospect from the web form, social networks or the chatbot becomes a
 *   residential-sale keyed by the prospect's phone, through the one public intake (api/public-intake.ts);
 * - the re-entry of an unattended sale (step 20): a new run under the same business key (free again
 *   once the old one ended), linked to it and carrying its prospect and customer data. The new sale's
 *   first step marks the request as taken up.
 */
import type { AppDeps } from '../deps';
import { conflict, invalidFields, notFound } from '../errors';
import { createPublicIntake } from '../public-intake';
import { createUnattendedStore } from '../../lib/unattended-requests';
import { renderContractRequestPdf, type ContractRequest } from '../../lib/contract-request-pdf';
import type { ProcessService } from '../processes/service';
import type { SessionUser } from '../types';
import { prospectKey, RESIDENTIAL_SALE } from '../../domain/residential';
import type { ProspectBody } from './schemas';


export function createProspectService({ db, config }: Pick<AppDeps, 'db' | 'config'>, processes: ProcessService) {
  const intake = createPublicIntake({ db, config }, processes);
  const unattended = createUnattendedStore(db);

  return {
    async receive(body: ProspectBody, address: string) {
      const businessKey = prospectKey(body.phone);
      if (!businessKey) throw invalidFields('invalid_phone', 'body', [{ field: 'phone', message: 'must have 6 to 15 digits' }]);
      const { website, ...prospect } = body;
      return intake(address, { honeypot: website, channel: body.channel, definitionId: RESIDENTIAL_SALE, businessKey, variables: { prospect } });
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
