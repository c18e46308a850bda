import type { Response } from 'express';
import { RECORD_READERS } from '../../workflows/policy';
import { clientAddress } from '../auth/login-limits';
import { sendPdf } from '../file-reply';
import { defineRoute, type RouteDef } from '../routing';
import { errorReply, UuidParams } from '../shared-schemas';
import { TaskLinkTokenParams } from '../task-links/schemas';
import { ClientContract, SignContractBody } from './schemas';
import type { ContractService } from './service';

export function contractRoutes(contracts: ContractService): RouteDef[] {
  const gone = errorReply('The link was used, replaced by a newer contract, or expired (`link_used`, `link_revoked`, `link_expired`)');
  const limited = errorReply('Too many attempts from this address');
  return [
    defineRoute({
      method: 'get',
      path: '/api/public/contracts/:token',
      summary: "The contract a client's signing link opens (public; the token is the credential)",
      tag: 'portal',
      auth: 'public',
      params: TaskLinkTokenParams,
      responses: { 200: { description: 'The contract', schema: ClientContract }, 404: errorReply('No such link'), 410: gone, 429: limited },
      handler: ({ params, req }) => contracts.open(params.token, clientAddress(req)),
    }),
    defineRoute({
      method: 'get',
      path: '/api/public/contracts/:token/pdf',
      summary: 'The PDF to sign (public): its sha256 is what the signature is over',
      tag: 'portal',
      auth: 'public',
      params: TaskLinkTokenParams,
      responses: { 200: { description: 'The PDF document' }, 404: errorReply('No such link'), 410: gone, 429: limited },
      handler: async ({ params, req }) => sendPdf(req.res as Response, await contracts.pdf(params.token, clientAddress(req))),
    }),
    defineRoute({
      method: 'post',
      path: '/api/public/contracts/:token/sign',
      summary: "The client signs the contract (public): typed or drawn, with the time, IP address, browser and the document's hash kept and printed on the signed PDF's audit page",
      tag: 'portal',
      auth: 'public',
      params: TaskLinkTokenParams,
      body: SignContractBody,
      responses: {
        200: { description: "Signed: the lead's process took the signature and seals the contract" },
        400: errorReply('A body that does not match: a typed signature without its text, a drawn one without its drawing, no agreement'),
        404: errorReply('No such link'),
        409: errorReply('Already signed (`contract_signed`), or the lead no longer waits for a signature (`not_heard`)'),
        410: gone,
        422: errorReply('The drawing is not a PNG, or too large (`invalid_signature`)'),
        429: limited,
      },
      handler: ({ params, body, req }) => contracts.sign(params.token, { address: clientAddress(req), userAgent: req.get('user-agent') ?? null }, body),
    }),
    defineRoute({
      method: 'get',
      path: '/api/contracts/:id/pdf',
      summary: "A customer's contract as a PDF: signed, with its audit page; else as it was sent",
      tag: 'estimates',
      auth: { roles: RECORD_READERS.contract, outsiders: 'notFound' },
      params: UuidParams,
      responses: { 200: { description: 'The PDF document' }, 404: errorReply('No such contract') },
      handler: async ({ params, req }) => sendPdf(req.res as Response, await contracts.staffPdf(params.id)),
    }),
  ];
}
