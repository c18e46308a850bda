/**
 * The client portal after conversion (seed 001): the client sets the password of their new portal
 * credentials through the single-use link of the welcome e-mail, limited per address like every link.
 */
import type { AppDeps } from '../deps';
import { notFound } from '../errors';
import { createLinkLimits } from '../task-links/limits';
import { createCustomerStore } from '../../lib/customers';
import { hashPassword } from '../../lib/passwords';

export function createPortalService({ db, config }: Pick<AppDeps, 'db' | 'config'>) {
  const customers = createCustomerStore(db);
  const limits = createLinkLimits(db, config.auth.loginLimits.perAddress);
  return {
    async setPassword(token: string, password: string, address: string) {
      await limits.attempt(address);
      const activated = await customers.setPassword(token, await hashPassword(password));
      if (!activated) throw notFound('This link does not set a password any more: it was used, or it expired. Ask your salesperson for a new one.');
      await limits.succeeded(address);
      return { activated: true as const, email: activated.email };
    },
  };
}

export type PortalService = ReturnType<typeof createPortalService>;
