/**
 * Seed 001's contract signature, the client's side: the single-use link opens the contract and its
 * PDF with no login, and signing sends the signature's evidence (the signer, the method, the time, the
 * IP and browser, and the hash of the document shown) to the lead's process as the contract.signed
 * message; the process seals the contract. The link is marked used in the transaction that locks it,
 * once the process took the signature, so a second signature cannot slip in.
 */
import { PDFDocument } from 'pdf-lib';
import { CONTRACT_SIGNED, drawingProblem, type ContractSignature } from '../../domain/estimates';
import { createContractSignatureStore, type ContractLinkRow } from '../../lib/contract-signatures';
import { linkRefusal, type LinkRefusal } from '../../lib/task-links/state';
import { toIso } from '../../lib/time';
import type { AppDeps } from '../deps';
import { conflict, HttpError, invalidFields, notFound } from '../errors';
import type { MessageRouter } from '../messages/router';
import { createLinkLimits } from '../task-links/limits';
import type { SignContractBody } from './schemas';

const REFUSALS: Record<LinkRefusal, string> = {
  link_revoked: 'This link was replaced by a newer contract: use the latest e-mail, or ask your salesperson.',
  link_used: 'This contract was already signed through this link.',
  link_expired: 'This link has expired. Ask your salesperson for a new one.',
};

export interface Signer { address: string; userAgent: string | null }

/** Decoded as the sealed PDF will embed it, so a drawing that cannot be drawn is refused before the link is spent. */
async function undecodable(png: Buffer): Promise<string | null> {
  try {
    await (await PDFDocument.create()).embedPng(png);
    return null;
  } catch {
    return 'the drawing cannot be read as a PNG image';
  }
}

export function createContractService({ db, config }: Pick<AppDeps, 'db' | 'config'>, messages: MessageRouter) {
  const contracts = createContractSignatureStore(db);
  const limits = createLinkLimits(db, config.auth.loginLimits.perAddress);

  async function usableLink(token: string, trx?: Parameters<typeof contracts.linkByToken>[1]): Promise<ContractLinkRow> {
    const link = await contracts.linkByToken(token, trx);
    if (!link) throw notFound('No contract behind this link');
    const refusal = linkRefusal(link, Date.now());
    if (refusal) throw new HttpError(410, refusal, REFUSALS[refusal]);
    return link;
  }

  const forClient = async (link: ContractLinkRow) => {
    const c = (await contracts.get(link.contract_id))!;
    return { contractId: c.id, title: c.title, status: c.status, sha256: c.sha256, signerEmail: c.signer_email, expiresAt: toIso(link.expires_at)!, signedAt: toIso(c.signed_at) };
  };

  return {
    async open(token: string, address: string) {
      await limits.attempt(address);
      const link = await usableLink(token);
      await limits.succeeded(address);
      return forClient(link);
    },

    async pdf(token: string, address: string) {
      await limits.attempt(address);
      const link = await usableLink(token);
      await limits.succeeded(address);
      const pdf = (await contracts.pdf(link.contract_id))!;
      return { filename: 'contrato.pdf', pdf: pdf.bytes };
    },

    async sign(token: string, signer: Signer, body: SignContractBody) {
      await limits.attempt(signer.address);
      if (body.method === 'drawn') {
        const png = Buffer.from(body.drawingPng!, 'base64');
        const problem = drawingProblem(png) ?? (await undecodable(png));
        if (problem) throw invalidFields('invalid_signature', 'body', [{ field: 'drawingPng', message: problem }]);
      }
      const signed = await db.transaction(async (trx) => {
        const link = await usableLink(token, trx);
        const contract = (await contracts.get(link.contract_id, trx))!;
        if (contract.status !== 'sent') throw conflict('contract_signed', 'This contract is already signed');
        const signature: ContractSignature = {
          contractId: contract.id, method: body.method, signerName: body.signerName, signerEmail: link.email,
          typedSignature: body.method === 'typed' ? body.typedSignature! : null, drawingPng: body.method === 'drawn' ? body.drawingPng! : null,
          ip: signer.address, userAgent: signer.userAgent, signedAt: new Date().toISOString(), documentSha256: contract.sha256,
        };
        await messages.send(
          { id: `contract-link:${link.id}`, username: link.email, roles: [] },
          { name: CONTRACT_SIGNED, businessKey: contract.business_key, messageId: `contract-signature:${link.id}`, payload: signature as unknown as Record<string, unknown> },
        );
        await contracts.markLinkUsed(trx, link.id);
        return signature;
      });
      await limits.succeeded(signer.address);
      return { signed: true as const, contractId: signed.contractId, signedAt: signed.signedAt, sha256: signed.documentSha256 };
    },

    /** Staff's copy: the signed PDF with its audit page, or the one sent while unsigned. */
    async staffPdf(id: string) {
      const pdf = await contracts.pdf(id);
      if (!pdf) throw notFound(`contract ${id} not found`, { id });
      return { filename: pdf.signed ? 'contrato-firmado.pdf' : 'contrato.pdf', pdf: pdf.bytes };
    },
  };
}

export type ContractService = ReturnType<typeof createContractService>;
