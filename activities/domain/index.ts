/**
 * The business activities definitions call by name. Each domain module is a factory taking `{ db }`;
 * the names they provide must be exactly those of `lib/definitions/activity-catalog.ts` (checked by a test).
 */
import type { Knex } from 'knex';
import type { ProcessActivity } from '../context';
import { createAccountActivities } from './accounts';
import { createCheckoutActivities } from './checkout';
import { createConsultantActivities } from './consultants';
import { createContractActivities } from './contracts';
import { createEstimateActivities } from './estimates';
import type { CrmAdapter } from './crm/adapters';
import type { PaymentGateway } from '../../lib/payments/gateway';
import { createCrmActivities } from './crm/lookup';
import { createCustomerActivities } from './customers';
import { createInvoiceActivities } from './invoices';
import { createNotificationActivities } from './notifications';
import { createOpportunityActivities } from './opportunities';
import { createPaymentActivities } from './payments';
import { createPortfolioActivities } from './portfolio';
import { createResidentialActivities } from './residential';
import { createSubscriptionActivities } from './subscriptions';
import { createTicketActivities } from './tickets';
import { createContractSignatureActivities } from './contract-signature';
import { createWorkOrderActivities } from './work-orders';

const factories = [
  createAccountActivities,
  createPaymentActivities,
  createSubscriptionActivities,
  createCheckoutActivities,
  createInvoiceActivities,
  createNotificationActivities,
  createCrmActivities,
  createOpportunityActivities,
  createContractActivities,
  createWorkOrderActivities,
  createConsultantActivities,
  createPortfolioActivities,
  createResidentialActivities,
  createEstimateActivities,
  createCustomerActivities,
  createTicketActivities,
  createContractSignatureActivities,
];

/** What the domain activities are built from; only the worker (and tests) wire real ones. */
export interface DomainDeps {
  db: Knex;
  /** The external CRMs (default: the local `crm_records` mirror). */
  crms?: CrmAdapter[];
  /** Where the web app is reached (config http.publicUrl): the links activities e-mail point there. */
  publicUrl?: string;
  /** The gateway invoice payments are opened with (config payments); none: invoices get no payment page. */
  gateway?: PaymentGateway | null;
}

export function createDomainActivities(deps: DomainDeps): Record<string, ProcessActivity> {
  const activities: Record<string, ProcessActivity> = {};
  for (const factory of factories) {
    for (const [name, activity] of Object.entries(factory(deps))) {
      if (name in activities) throw new Error(`domain activity ${name} is defined twice`);
      activities[name] = activity;
    }
  }
  return activities;
}
