/**
 * Seed 001's conversion: the won lead becomes a customer in one action. `customers.convert` writes the
 * customer, opens the client's portal credentials (the set-password e-mail) and turns the accepted
 * estimate into a draft invoice, all in one transaction keyed by the step (lib/customers.ts). The
 * customer keeps the lead's process id, so the lead's timeline and notes are the customer's history.
 */
import type { Knex } from 'knex';
import type { ProcessActivity } from '../context';
import { ApplicationFailure } from '@temporalio/activity';
import { createCustomerStore, PortalEmailTaken, type Conversion } from '../../lib/customers';
import { appUrl, LOCAL_PUBLIC_URL } from '../../lib/config';
import { createEstimateStore } from '../../lib/estimates';
import { createContractSignatureStore } from '../../lib/contract-signatures';
import { recurringPart } from '../../domain/estimates';
import { invalid, notFound, optionalObject, optionalString, optionalUuid, requireEmail, requireObject, requireString, requireUuid } from './support';

export function createCustomerActivities({ db, publicUrl = LOCAL_PUBLIC_URL }: { db: Knex; publicUrl?: string }): Record<string, ProcessActivity> {
  const customers = createCustomerStore(db);
  const estimates = createEstimateStore(db);
  const contracts = createContractSignatureStore(db);
  /** A taken portal e-mail will not free itself on retry: the instance stops at an incident saying so. */
  const convertOnce = (c: Conversion) =>
    customers.convert(c).catch((err: unknown) => {
      if (err instanceof PortalEmailTaken) throw ApplicationFailure.nonRetryable(`${err.message}: give this lead another e-mail, or convert it by hand`, 'PortalEmailTaken', { email: err.email });
      throw err;
    });
  return {
    async 'customers.convert'(input, ctx) {
      const estimateId = requireUuid(input, 'estimateId');
      const contact = requireObject(input, 'contact');
      const company = optionalObject(input, 'company');
      const estimate = await estimates.get(estimateId);
      if (!estimate) throw notFound('estimate', estimateId);
      if (estimate.status !== 'accepted') throw invalid('estimateId', `estimate ${estimateId} is ${estimate.status}: only an accepted estimate converts a lead`);
      if (estimate.process_id !== ctx.instanceId) throw invalid('estimateId', `estimate ${estimateId} belongs to another process`);
      const contractId = optionalUuid(input, 'contractId');
      if (contractId) {
        const contract = await contracts.get(contractId);
        if (!contract || contract.process_id !== ctx.instanceId || contract.status !== 'signed') throw invalid('contractId', `contract ${contractId} is not a contract this process's client signed`);
      }
      const { customer, invoice, portalEmail } = await convertOnce({
        key: ctx.key,
        processId: ctx.instanceId,
        estimate,
        contact: { name: requireString(contact, 'name'), email: requireEmail(contact, 'email'), phone: optionalString(contact, 'phone') },
        company: company ? { name: requireString(company, 'name'), taxId: optionalString(company, 'taxId') } : null,
        convertedBy: requireString(input, 'convertedBy'),
        contractId,
        setupUrl: (token) => appUrl(publicUrl, `/portal/password#${token}`),
      });
      // What the customer pays every month from then on: the estimate's recurring lines (0: nothing recurs).
      const monthly = recurringPart(estimate.lines, await estimates.catalog());
      return {
        customerId: customer.id,
        invoiceId: invoice.id,
        invoiceStatus: invoice.status,
        amount: Number(invoice.amount),
        currency: invoice.currency,
        portalEmail,
        monthlyAmount: monthly.monthlyMinor / 100,
        product: monthly.product,
      };
    },
  };
}
