/**
 * SQL for seed 001's conversion (`customers`, `portal_credentials`, draft `invoices`, migration 027):
 * a won lead becomes a customer in one transaction that also opens the client's portal credentials
 * (the set-password e-mail goes through the outbox) and turns the accepted estimate into a draft
 * invoice. Keyed by the conversion step's idempotency key: a retry finds what the first attempt wrote.
 */
import { createContractSignatureStore } from './contract-signatures';
import type { Knex } from 'knex';
import type { SavedPaymentMethod } from '../domain/billing';
import { invoiceLinesOf } from '../domain/estimates';
import { invoiceStore, type InvoiceRow } from './billing';
import { hashLinkToken, newLinkToken } from './task-links/tokens';
import type { EstimateRow } from './estimates';

export const PORTAL_WELCOME_TEMPLATE = 'portal-welcome';
/** How long the set-password link of a new customer's portal works. */
export const PORTAL_SETUP_DAYS = 7;
/** The channel seed 001's invoices are issued on. */
export const PORTAL_CHANNEL = 'Portal de clientes';

/** The e-mail already signs another customer into the portal: credentials are one per e-mail. */
export class PortalEmailTaken extends Error {
  constructor(readonly email: string) {
    super(`${email} already signs another customer into the portal`);
    this.name = 'PortalEmailTaken';
  }
}

export interface CustomerRow {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  company_name: string | null;
  company_tax_id: string | null;
  process_id: string;
  estimate_id: string;
  converted_by: string;
  converted_at: Date;
  /** The card kept at the gateway for the renewals (migration 036); null until a payment saves one. */
  payment_gateway: string | null;
  gateway_customer_ref: string | null;
  gateway_method_ref: string | null;
  payment_method_saved_at: Date | null;
}

export interface Conversion {
  key: string;
  processId: string;
  estimate: EstimateRow;
  contact: { name: string; email: string; phone: string | null };
  company: { name: string; taxId: string | null } | null;
  convertedBy: string;
  /** The contract the client signed before the conversion (migration 034), linked to the new customer. */
  contractId?: string | null;
  /** Builds the set-password link from its token (the portal's address). */
  setupUrl: (token: string) => string;
}

export interface Converted {
  customer: CustomerRow;
  invoice: InvoiceRow;
  portalEmail: string;
}

export function createCustomerStore(db: Knex) {
  async function found(trx: Knex.Transaction, customer: CustomerRow): Promise<Converted> {
    const invoice: InvoiceRow = await trx('invoices').where({ customer_id: customer.id, estimate_id: customer.estimate_id }).first();
    const credentials = await trx('portal_credentials').where({ customer_id: customer.id }).first('email');
    return { customer, invoice, portalEmail: credentials.email };
  }

  return {
    async byId(id: string): Promise<CustomerRow | undefined> {
      return db('customers').where({ id }).first();
    },

    async savedPaymentMethod(id: string): Promise<SavedPaymentMethod | null> {
      const row: CustomerRow | undefined = await db('customers').where({ id }).first();
      return row?.payment_gateway && row.gateway_customer_ref && row.gateway_method_ref
        ? { gateway: row.payment_gateway, customerRef: row.gateway_customer_ref, methodRef: row.gateway_method_ref }
        : null;
    },

    /** The card a payment saved replaces the one kept before: the customer's latest choice is charged. */
    async savePaymentMethod(id: string, method: SavedPaymentMethod): Promise<void> {
      await db('customers').where({ id }).update({
        payment_gateway: method.gateway, gateway_customer_ref: method.customerRef, gateway_method_ref: method.methodRef, payment_method_saved_at: db.fn.now(),
      });
    },

    async convert(c: Conversion): Promise<Converted> {
      return db.transaction(async (trx) => {
        const earlier: CustomerRow | undefined = await trx('customers').where({ idempotency_key: c.key }).orWhere({ process_id: c.processId }).first();
        if (earlier) return found(trx, earlier);
        // The client signs in with this e-mail, whatever its case.
        const portalEmail = c.contact.email.toLowerCase();
        if (await trx('portal_credentials').where({ email: portalEmail }).first('customer_id')) throw new PortalEmailTaken(c.contact.email);
        const [customer]: CustomerRow[] = await trx('customers')
          .insert({
            name: c.contact.name, email: c.contact.email, phone: c.contact.phone, company_name: c.company?.name ?? null, company_tax_id: c.company?.taxId ?? null,
            process_id: c.processId, estimate_id: c.estimate.id, converted_by: c.convertedBy, idempotency_key: c.key,
          })
          .returning('*');
        const token = newLinkToken();
        const expiresAt = new Date(Date.now() + PORTAL_SETUP_DAYS * 86_400_000);
        await trx('portal_credentials').insert({ customer_id: customer.id, email: portalEmail, setup_token_hash: hashLinkToken(token), setup_expires_at: expiresAt });
        await trx('outbox').insert({
          channel: 'email',
          recipient: c.contact.email,
          template: PORTAL_WELCOME_TEMPLATE,
          language: 'es',
          idempotency_key: `portal-welcome:${customer.id}`,
          payload: JSON.stringify({ customerName: c.contact.name, setPasswordUrl: c.setupUrl(token), expiresAt: expiresAt.toISOString() }),
        });
        const invoice = await invoiceStore.draft(
          trx,
          {
            customer_id: customer.id, estimate_id: c.estimate.id,
            customer_tax_id: c.company?.taxId ?? '', customer_name: c.company?.name ?? c.contact.name,
            description: `Cotización aceptada (versión ${c.estimate.version})`,
            amount: Number(c.estimate.total_minor) / 100, currency: c.estimate.currency, channel: PORTAL_CHANNEL, seller_name: null,
            instance_id: c.processId, idempotency_key: `${c.key}:draft-invoice`,
          },
          invoiceLinesOf(c.estimate.lines),
        );
        if (c.contractId) await createContractSignatureStore(db).linkCustomer(trx, c.contractId, customer.id);
        return { customer, invoice, portalEmail };
      });
    },

    /**
     * The client's password, set through the link of the welcome e-mail: the credentials the token
     * opens become active and the link stops working. Null for a token that opens none (unknown, used
     * or expired).
     */
    async setPassword(token: string, passwordHash: string): Promise<{ email: string } | null> {
      return db.transaction(async (trx) => {
        const [row] = await trx('portal_credentials')
          .where({ setup_token_hash: hashLinkToken(token) })
          .where('setup_expires_at', '>', trx.fn.now())
          .update({ password_hash: passwordHash, activated_at: trx.fn.now(), setup_token_hash: null, setup_expires_at: null })
          .returning(['email', 'customer_id']);
        if (!row) return null;
        // A new password ends every portal session the old one opened.
        await trx('portal_sessions').where({ customer_id: row.customer_id }).delete();
        return { email: row.email };
      });
    },
  };
}
