/**
 * The contract-signature store (tables customer_contracts, customer_contract_links,
 * customer_contract_signatures; migration 034). The lead's process prepares the contract and seals it
 * with the signature it heard; the API opens the link, shows the contract and marks the link used.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { ContractSignature } from '../domain/estimates';
import { renderContractPdf, sealContractPdf } from './contract-pdf';
import { estimateTotals, type EstimateRow } from './estimates';
import { hashLinkToken, newLinkToken } from './task-links/tokens';

export const CONTRACT_TO_SIGN_TEMPLATE = 'contract-to-sign';

export interface ContractRow {
  id: string; process_id: string; business_key: string; estimate_id: string; customer_id: string | null; title: string; signer_email: string;
  status: 'sent' | 'signed'; sha256: string; created_by: string; created_at: Date; signed_at: Date | null;
}

export interface ContractLinkRow { id: string; contract_id: string; email: string; expires_at: Date; used_at: Date | null; revoked_at: Date | null }

export interface NewContract {
  key: string;
  process: { id: string; businessKey: string };
  estimate: EstimateRow;
  contact: { name: string; email: string };
  company: { name: string; taxId: string | null } | null;
  createdBy: string;
  expiresAt: Date;
  linkUrl: (token: string) => string;
}

const COLUMNS = ['id', 'process_id', 'business_key', 'estimate_id', 'customer_id', 'title', 'signer_email', 'status', 'sha256', 'created_by', 'created_at', 'signed_at'];
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export function createContractSignatureStore(db: Knex) {
  return {
    /**
     * The contract of the accepted estimate, its PDF and hash, and a single-use link e-mailed to the
     * client, once per key; a new contract of the same process revokes the links of the earlier ones.
     */
    async prepare(c: NewContract): Promise<ContractRow> {
      return db.transaction(async (trx) => {
        const earlier = await trx('customer_contracts').where({ idempotency_key: c.key }).first(COLUMNS);
        if (earlier) return earlier as ContractRow;
        const createdAt = new Date();
        const title = `Contrato de suscripción Kontaly: ${c.company?.name ?? c.contact.name}`;
        const pdf = await renderContractPdf({
          title, customerName: c.contact.name, customerEmail: c.contact.email, companyName: c.company?.name ?? null, companyTaxId: c.company?.taxId ?? null,
          currency: c.estimate.currency, lines: c.estimate.lines,
          totals: estimateTotals(c.estimate),
          createdAt,
        });
        const [contract] = (await trx('customer_contracts')
          .insert({ process_id: c.process.id, business_key: c.process.businessKey, estimate_id: c.estimate.id, title, signer_email: c.contact.email, pdf: Buffer.from(pdf), sha256: sha256(pdf), created_by: c.createdBy, created_at: createdAt, idempotency_key: c.key })
          .returning(COLUMNS)) as ContractRow[];
        const others = trx('customer_contracts').where({ process_id: c.process.id }).whereNot({ id: contract.id }).select('id');
        await trx('customer_contract_links').whereIn('contract_id', others).whereNull('revoked_at').whereNull('used_at').update({ revoked_at: trx.fn.now() });
        const token = newLinkToken();
        const [link] = await trx('customer_contract_links').insert({ contract_id: contract.id, token_hash: hashLinkToken(token), email: c.contact.email, expires_at: c.expiresAt }).returning('id');
        await trx('outbox').insert({
          channel: 'email', recipient: c.contact.email, template: CONTRACT_TO_SIGN_TEMPLATE, language: 'es', idempotency_key: `contract-link:${link.id}`,
          payload: JSON.stringify({ customerName: c.contact.name, title, linkUrl: c.linkUrl(token), expiresAt: c.expiresAt.toISOString() }),
        });
        return contract;
      });
    },

    async get(id: string, trx?: Knex.Transaction): Promise<ContractRow | undefined> {
      const q = (trx ?? db)('customer_contracts').where({ id }).first(COLUMNS);
      return trx ? q.forUpdate() : q;
    },

    /** The contracts a customer signed (linked at conversion), newest first. */
    async signedBy(customerId: string): Promise<ContractRow[]> {
      return db('customer_contracts').where({ customer_id: customerId, status: 'signed' }).orderBy('signed_at', 'desc').select(COLUMNS);
    },

    /** The signed PDF once signed, else the one to sign. */
    async pdf(id: string): Promise<{ bytes: Buffer; signed: boolean } | undefined> {
      const row = await db('customer_contracts').where({ id }).first('pdf', 'signed_pdf');
      return row ? { bytes: row.signed_pdf ?? row.pdf, signed: row.signed_pdf !== null } : undefined;
    },

    async signature(contractId: string) {
      return db('customer_contract_signatures').where({ contract_id: contractId }).first('method', 'signer_name', 'signer_email', 'ip', 'user_agent', 'signed_at', 'document_sha256');
    },

    /** The link a token opens, locked in `trx` when given. */
    async linkByToken(token: string, trx?: Knex.Transaction): Promise<ContractLinkRow | undefined> {
      const q = (trx ?? db)('customer_contract_links').where({ token_hash: hashLinkToken(token) }).first();
      return trx ? q.forUpdate() : q;
    },

    async markLinkUsed(trx: Knex.Transaction, linkId: string): Promise<void> {
      await trx('customer_contract_links').where({ id: linkId }).update({ used_at: trx.fn.now() });
    },

    /**
     * The signature's evidence, once, and the contract sealed with it: signed, its PDF with the audit
     * page appended. A contract sealed before is answered as it is.
     */
    async seal(s: ContractSignature): Promise<ContractRow | undefined> {
      return db.transaction(async (trx) => {
        const contract = await trx('customer_contracts').where({ id: s.contractId }).forUpdate().first([...COLUMNS, 'pdf']);
        if (!contract) return undefined;
        const { pdf, ...row } = contract;
        if (row.status === 'signed') return row as ContractRow;
        await trx('customer_contract_signatures')
          .insert({
            contract_id: s.contractId, method: s.method, signer_name: s.signerName, signer_email: s.signerEmail, typed_signature: s.typedSignature,
            drawing_png: s.drawingPng ? Buffer.from(s.drawingPng, 'base64') : null, ip: s.ip, user_agent: s.userAgent, signed_at: s.signedAt, document_sha256: s.documentSha256,
          })
          .onConflict('contract_id').ignore();
        const sealed = await sealContractPdf(pdf, s, { id: row.id, title: row.title });
        const [signed] = await trx('customer_contracts').where({ id: s.contractId }).update({ status: 'signed', signed_pdf: Buffer.from(sealed), signed_at: s.signedAt }).returning(COLUMNS);
        return signed as ContractRow;
      });
    },

    /** The conversion links the signed contract to the customer it makes. */
    async linkCustomer(trx: Knex.Transaction, contractId: string, customerId: string): Promise<void> {
      await trx('customer_contracts').where({ id: contractId }).whereNull('customer_id').update({ customer_id: customerId });
    },
  };
}
