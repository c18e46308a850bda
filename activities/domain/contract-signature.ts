/**
 * Seed 001's contract signature: the lead's process prepares the contract of the accepted estimate
 * (its PDF, hash and a single-use link e-mailed to the client) and, once the client's signature reaches
 * it, seals it (the evidence kept, the audit page appended). lib/contract-signatures.ts writes.
 */
import type { Knex } from 'knex';
import { drawingProblem, type ContractSignature } from '../../domain/estimates';
import { appUrl, LOCAL_PUBLIC_URL } from '../../lib/config';
import { createContractSignatureStore, type ContractRow } from '../../lib/contract-signatures';
import { createEstimateStore } from '../../lib/estimates';
import type { ProcessActivity } from '../context';
import { invalid, iso, notFound, optionalObject, optionalString, requireEmail, requireEnum, requireObject, requireString, requireUuid } from './support';

/** How long the client's signing link works. */
const SIGNING_LINK_DAYS = 15;

const present = (c: ContractRow) => ({ contractId: c.id, title: c.title, status: c.status, sha256: c.sha256, signerEmail: c.signer_email, signedAt: iso(c.signed_at) });

export function createContractSignatureActivities({ db, publicUrl = LOCAL_PUBLIC_URL }: { db: Knex; publicUrl?: string }): Record<string, ProcessActivity> {
  const contracts = createContractSignatureStore(db);
  const estimates = createEstimateStore(db);
  return {
    async 'contractSignature.prepare'(input, ctx) {
      const estimateId = requireUuid(input, 'estimateId');
      const contact = requireObject(input, 'contact');
      const company = optionalObject(input, 'company');
      const estimate = await estimates.get(estimateId);
      if (!estimate) throw notFound('estimate', estimateId);
      if (estimate.status !== 'accepted' || estimate.process_id !== ctx.instanceId) throw invalid('estimateId', `estimate ${estimateId} is not this process's accepted estimate`);
      const contract = await contracts.prepare({
        key: ctx.key,
        process: { id: ctx.instanceId, businessKey: ctx.businessKey },
        estimate,
        contact: { name: requireString(contact, 'name'), email: requireEmail(contact, 'email') },
        company: company ? { name: requireString(company, 'name'), taxId: optionalString(company, 'taxId') } : null,
        createdBy: requireString(input, 'preparedBy'),
        expiresAt: new Date(Date.now() + SIGNING_LINK_DAYS * 86_400_000),
        linkUrl: (token) => appUrl(publicUrl, `/portal/contract#${token}`),
      });
      return present(contract);
    },

    async 'contractSignature.seal'(input) {
      const contractId = requireUuid(input, 'contractId');
      const method = requireEnum(input, 'method', ['typed', 'drawn'] as const);
      const drawingPng = optionalString(input, 'drawingPng');
      if (method === 'drawn') {
        const problem = drawingPng ? drawingProblem(Buffer.from(drawingPng, 'base64')) : 'a drawn signature needs its drawing';
        if (problem) throw invalid('drawingPng', problem);
      }
      const signature: ContractSignature = {
        contractId, method, signerName: requireString(input, 'signerName'), signerEmail: requireEmail(input, 'signerEmail'),
        typedSignature: method === 'typed' ? requireString(input, 'typedSignature') : null, drawingPng: method === 'drawn' ? drawingPng : null,
        ip: requireString(input, 'ip'), userAgent: optionalString(input, 'userAgent'), signedAt: requireString(input, 'signedAt'), documentSha256: requireString(input, 'documentSha256'),
      };
      const current = await contracts.get(contractId);
      if (!current) throw notFound('contract', contractId);
      if (current.sha256 !== signature.documentSha256) throw invalid('documentSha256', `the signature is over ${signature.documentSha256}, not the contract's document (${current.sha256})`);
      return present((await contracts.seal(signature))!);
    },
  };
}
