/**
 * The client portal's sign-in and sessions (tables portal_credentials' password, portal_sessions):
 * a customer signs in with the e-mail and password set through the welcome link. Tokens are 32 random
 * bytes; only their sha256 is stored.
 */
import type { Knex } from 'knex';
import { hashPassword, verifyPassword } from './passwords';
import { hashLinkToken, newLinkToken } from './task-links/tokens';

export interface PortalCustomer { customerId: string; email: string; name: string; companyName: string | null }

let unknownEmailHash: Promise<string> | undefined;
const dummyHash = () => (unknownEmailHash ??= hashPassword('no customer has this password'));

export function createPortalSessionStore(db: Knex) {
  const customerColumns = ['c.id as customerId', 'p.email as email', 'c.name as name', 'c.company_name as companyName'];
  return {
    /** The customer whose active credentials these are, or null (the same time either way). */
    async authenticate(email: string, password: string): Promise<PortalCustomer | null> {
      const row = await db('portal_credentials as p').join('customers as c', 'c.id', 'p.customer_id').where('p.email', email.trim().toLowerCase()).whereNotNull('p.password_hash').first('p.password_hash', ...customerColumns);
      const { matches } = await verifyPassword(row?.password_hash ?? (await dummyHash()), password);
      if (!row || !matches) return null;
      const { password_hash: _, ...customer } = row;
      return customer as PortalCustomer;
    },

    async create(customerId: string, ttlMs: number): Promise<string> {
      const token = newLinkToken();
      await db('portal_sessions').insert({ token_hash: hashLinkToken(token), customer_id: customerId, expires_at: new Date(Date.now() + ttlMs) });
      // The customer's own expired sessions go as a new one starts.
      await db('portal_sessions').where({ customer_id: customerId }).where('expires_at', '<=', db.fn.now()).delete();
      return token;
    },

    /** The session's customer; null when the token is unknown or expired (by the database clock). */
    async customerFor(token: string): Promise<PortalCustomer | null> {
      const row = await db('portal_sessions as s')
        .join('customers as c', 'c.id', 's.customer_id')
        .join('portal_credentials as p', 'p.customer_id', 'c.id')
        .where('s.token_hash', hashLinkToken(token))
        .where('s.expires_at', '>', db.fn.now())
        .first(...customerColumns);
      return (row as PortalCustomer | undefined) ?? null;
    },

    async delete(token: string): Promise<void> {
      await db('portal_sessions').where({ token_hash: hashLinkToken(token) }).delete();
    },
  };
}
