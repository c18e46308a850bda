// The workflow bundle's entry point: only workflow functions are exported here.
export { interpreter } from './interpreter';
export { outboxDelivery } from './outbox-delivery';
export { reconcileInstances } from './reconcile';
export { contactImport } from './contact-import';
export { subscriptionBilling } from './subscription-billing';
