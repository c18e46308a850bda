/**
 * A seed-001 customer made straight through the stores (no process runs): an accepted estimate, its
 * conversion, the draft issued, a portal password and a portal session. For the tests that need a
 * portal caller without driving a lead (the authorization table).
 */
import type { Knex } from 'knex';
import { priceLines } from '../../domain/estimates';
import { invoiceStore } from '../../lib/billing';
import { createCustomerStore } from '../../lib/customers';
import { createEstimateStore } from '../../lib/estimates';
import { hashPassword } from '../../lib/passwords';
import { createPortalSessionStore } from '../../lib/portal-sessions';

export interface PortalCustomerFixture { customerId: string; email: string; password: string; invoiceId: string; token: string }

export async function portalCustomer(db: Knex, key: string): Promise<PortalCustomerFixture> {
  const estimates = createEstimateStore(db);
  const priced = priceLines([{ itemCode: 'kontaly-basico', quantity: 1 }], await estimates.catalog(), 'COP');
  if (!('lines' in priced)) throw new Error('the catalog does not price kontaly-basico');
  const email = `${key}@portal.example`;
  const estimate = await estimates.create({ customerName: key, customerEmail: email, process: { id: `lead-to-customer/${key}`, businessKey: key }, currency: 'COP', ...priced, createdBy: 'test' });
  let setupToken = '';
  const { customer, invoice } = await createCustomerStore(db).convert({
    key: `${key}:convert`, processId: `lead-to-customer/${key}`, estimate, contact: { name: key, email, phone: null }, company: null, convertedBy: 'test',
    setupUrl: (token) => (setupToken = token),
  });
  await invoiceStore.issueDraft(db, invoice.id);
  const password = 'una clave de portal';
  await createCustomerStore(db).setPassword(setupToken, await hashPassword(password));
  const token = await createPortalSessionStore(db).create(customer.id, 3_600_000);
  return { customerId: customer.id, email, password, invoiceId: invoice.id, token };
}
