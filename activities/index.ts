/**
 * Every activity the worker registers: the interpreter's `engine.*` activities plus the business
 * activities definitions call by name.
 */
import { createCalendarActivities } from './calendar';
import { createEngineActivities } from './engine';
import { createDomainActivities, type DomainDeps } from './domain';
import { createImportActivities } from './imports';
import { createOutboxActivities, type NotificationTransport } from './outbox';
import { createReconcileActivities } from './reconcile';
import { createSubscriptionBillingActivities } from './subscription-billing';

export type AnyActivity = (...args: any[]) => Promise<unknown>;

/** The dependencies of every activity: the database and the web app's address, plus the pluggable CRMs and notification transport. */
export interface ActivityDeps extends DomainDeps {
  transport?: NotificationTransport;
}

export function createActivities(deps: ActivityDeps): Record<string, AnyActivity> {
  const internal = {
    ...(createEngineActivities(deps) as unknown as Record<string, AnyActivity>),
    ...(createOutboxActivities(deps) as unknown as Record<string, AnyActivity>),
    ...(createReconcileActivities(deps) as unknown as Record<string, AnyActivity>),
    ...(createImportActivities(deps) as unknown as Record<string, AnyActivity>),
    ...(createCalendarActivities() as unknown as Record<string, AnyActivity>),
    ...(createSubscriptionBillingActivities(deps) as unknown as Record<string, AnyActivity>),
  };
  const domain = createDomainActivities(deps) as Record<string, AnyActivity>;
  // `engine.` is reserved: a domain activity must never shadow one the interpreter (or the drainer, or the import job) relies on.
  const clash = Object.keys(domain).filter((name) => name.startsWith('engine.') || name in internal);
  if (clash.length > 0) throw new Error(`domain activities use reserved names: ${clash.join(', ')}`);
  return { ...domain, ...internal };
}
