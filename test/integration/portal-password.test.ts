/**
 * The client portal's password (lib/customers.ts setPassword) on real Postgres: a password set through a
 * setup link ends every portal session the old one opened, and the link works once.
 */
import { createCustomerStore } from '../../lib/customers';
import { hashPassword } from '../../lib/passwords';
import { createPortalSessionStore } from '../../lib/portal-sessions';
import { hashLinkToken, newLinkToken } from '../../lib/task-links/tokens';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { portalCustomer } from '../support/portal';

let database: FreshDatabase;

beforeAll(async () => {
  database = await freshDatabase();
});

afterAll(async () => {
  await database?.drop();
});

test('a new password ends the sessions of the old one; the link is single-use', async () => {
  const { db } = database;
  const customer = await portalCustomer(db, 'password-reset');
  const sessions = createPortalSessionStore(db);
  expect(await sessions.customerFor(customer.token)).toMatchObject({ customerId: customer.customerId });
  // A new setup link for these credentials, as a password reset would issue one.
  const token = newLinkToken();
  await db('portal_credentials').where({ customer_id: customer.customerId }).update({ setup_token_hash: hashLinkToken(token), setup_expires_at: new Date(Date.now() + 3_600_000) });
  const customers = createCustomerStore(db);
  expect(await customers.setPassword(token, await hashPassword('otra clave bien larga'))).toEqual({ email: customer.email });
  expect(await sessions.customerFor(customer.token)).toBeNull();
  expect(await customers.setPassword(token, await hashPassword('una tercera clave larga'))).toBeNull();
  expect(await sessions.authenticate(customer.email, 'otra clave bien larga')).toMatchObject({ customerId: customer.customerId });
});
