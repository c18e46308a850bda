/**
 * The business activities definitions call by name. Each domain module is a factory taking `{ db }`;
 * the names they provide must be exactly those of `activities/catalog.ts` (checked by a test).
 */
import type { Knex } from 'knex';
import type { ProcessActivity } from '../context';
import { createAccountActivities } from './accounts';
import { createCheckoutActivities } from './checkout';
import { createConsultantActivities } from './consultants';
import { createContractActivities } from './contracts';
import { createCrmActivities } from './crm/lookup';
import { createInvoiceActivities } from './invoices';
import { createNotificationActivities } from './notifications';
import { createOpportunityActivities } from './opportunities';
import { createPaymentActivities } from './payments';
import { createSubscriptionActivities } from './subscriptions';
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
];

export function createDomainActivities(deps: { db: Knex }): Record<string, ProcessActivity> {
  const activities: Record<string, ProcessActivity> = {};
  for (const factory of factories) {
    for (const [name, activity] of Object.entries(factory(deps))) {
      if (name in activities) throw new Error(`domain activity ${name} is defined twice`);
      activities[name] = activity;
    }
  }
  return activities;
}
