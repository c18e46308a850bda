/**
 * Seed 004 step 12 on the time-skipping server: production asks provisioning to close the OT, and billing
 * starts. The closing invoices the first month and starts the customer's monthly subscription (no digital
 * account: the business that bought, by NIT), renewed every calendar month in Colombia's time zone, in
 * COP, on the Mi Negocio Digital channel with the consultant as seller, with dunning on a late month.
 * Real YAML, real activities, real Postgres.
 */
import { BILLING_TEMPLATES, billingPeriod } from '../../domain/billing';
import { billingStateQuery, renewalPaymentSignal, subscriptionBillingWorkflowId } from '../../workflows/subscription-billing';
import type { DefinitionVersion } from '../../workflows/model';
import { attachedSink, contractDocuments, productContent, verdicts } from '../support/assisted-sale';
import { eventually } from '../support/eventually';
import { completeStep, DAY, deployDefinitions, exampleFormData, exampleVariables, startProcess } from '../support/processes';
import { useTimeSkippingStack } from '../support/time-skipping';

const stack = useTimeSkippingStack('mnd-billing');
const db = () => stack.database.db;
let sale: DefinitionVersion;

beforeAll(async () => {
  sale = await (await deployDefinitions(db()))('assisted-sale');
});

async function skipTo(at: number): Promise<void> {
  const now = await stack.env.currentTimeMs();
  if (at > now) await stack.env.sleep(at - now);
}

it('closing the work order invoices the first month and renews the product monthly, in COP on Bogotá time, with dunning', async () => {
  const variables = exampleVariables(sale);
  const { username, name: consultantName } = variables.consultant as { username: string; name: string };
  const client = variables.client as { taxId: string; name: string };
  const as = (role: string, user = role) => ({ username: user, roles: [role] });
  const consultant = as('consultant', username);
  const handle = await startProcess(stack.env.client, stack.taskQueue, sale, 'NIT-billing', variables);
  await completeStep(handle, sale, 'chooseTemplate', 'chosen', consultant);
  await completeStep(handle, sale, 'confirmBusinessType', 'confirmed', consultant);
  await completeStep(handle, sale, 'explainContent', 'explained', consultant);
  await completeStep(handle, sale, 'verifyClient', 'inOnyx', consultant);
  await completeStep(handle, sale, 'registerContract', 'registered', as('provisioning'));
  const store = attachedSink(db(), handle.workflowId);
  await completeStep(handle, sale, 'collectDocuments', 'sent', consultant, await contractDocuments(store));
  await completeStep(handle, sale, 'purchaseForm', 'submitted', consultant);
  await completeStep(handle, sale, 'collectContent', 'submitted', consultant, await productContent(store));
  await completeStep(handle, sale, 'validateDocuments', 'approve', as('commercial-support'), verdicts());
  await completeStep(handle, sale, 'produceProduct', 'delivered', as('partner'));
  // The client answers by link; production records an approval that came by e-mail, from the inbox.
  await completeStep(handle, sale, 'clientApproval', 'approved', as('production'));
  await completeStep(handle, sale, 'provisioningCall', 'done', as('production'));
  const result = await handle.result();
  expect(result.outcome).toBe('won');

  const purchase = exampleFormData(sale, 'purchaseForm') as { plan: string; monthlyPrice: number; billingEmail: string };
  const order = await db()('work_orders').where({ instance_id: handle.workflowId }).first();
  expect(order).toMatchObject({ status: 'closed' });
  expect(order.billing_started_at).not.toBeNull();
  const subscription = await db()('subscriptions').where({ work_order_id: order.id }).first();
  expect(subscription).toMatchObject({
    account_id: null, plan_code: null, customer_tax_id: client.taxId, customer_name: client.name, customer_email: purchase.billingEmail,
    product: `Mi Negocio Digital ${purchase.plan}`, base_price: purchase.monthlyPrice.toFixed(2), currency: 'COP', periodicity: 'monthly',
    status: 'active', billing_zone: 'America/Bogota', channel: 'Mi Negocio Digital', seller_name: consultantName, instance_id: handle.workflowId,
  });
  // The first month is the closing's invoice; the periods count from the closing, as the process saw it.
  const first = await db()('invoices').where({ work_order_id: order.id }).first();
  expect(first).toMatchObject({ amount: purchase.monthlyPrice.toFixed(2), currency: 'COP', channel: 'Mi Negocio Digital', seller_name: consultantName, subscription_id: null });
  expect(result.variables.subscription).toMatchObject({ subscriptionId: subscription.id, started: true });
  expect(Math.abs(new Date(subscription.billing_anchor_at).getTime() - new Date(first.issued_at).getTime())).toBeLessThan(60_000);

  const billing = stack.env.client.workflow.getHandle(subscriptionBillingWorkflowId(subscription.id));
  const anchor = new Date(subscription.billing_anchor_at);
  const renewal = (period: number) =>
    eventually<any>(() => db()('invoices').where({ subscription_id: subscription.id, period_index: period }).first(), Boolean, `the renewal of period ${period}`);
  const pay = (key: string) => ({ paymentKey: key, amount: purchase.monthlyPrice, currency: 'COP', method: 'pse', transactionId: key });

  // Month 2, paid on time.
  await skipTo(billingPeriod(anchor, 1, 'America/Bogota').start.getTime() + 60_000);
  const second = await renewal(1);
  expect(second).toMatchObject({
    kind: 'renewal', account_id: null, customer_tax_id: client.taxId, customer_name: client.name, amount: purchase.monthlyPrice.toFixed(2),
    currency: 'COP', channel: 'Mi Negocio Digital', seller_name: consultantName, description: `Renovación Mi Negocio Digital ${purchase.plan}, periodo 2`,
  });
  const lines = await db()('invoice_lines').where({ invoice_id: second.id }).pluck('description');
  expect(lines).toEqual([`Mi Negocio Digital ${purchase.plan}: renovación`]);
  await billing.signal(renewalPaymentSignal, pay('pse-2'));
  await eventually(() => db()('invoices').where({ id: second.id }).first(), (r) => r.paid_at !== null, 'month 2 paid');

  // Month 3, unpaid: reminder, grace, suspension of the subscription (there is no account to suspend); then paid.
  await skipTo(billingPeriod(anchor, 2, 'America/Bogota').start.getTime() + 60_000);
  const third = await renewal(2);
  await skipTo(new Date(third.due_at).getTime() + 5 * DAY + 60_000);
  await eventually(() => billing.query(billingStateQuery), (s) => s.phase === 'suspended', 'suspension after the grace period');
  expect(await db()('subscriptions').where({ id: subscription.id }).first()).toMatchObject({ status: 'suspended' });
  await billing.signal(renewalPaymentSignal, pay('pse-3'));
  await eventually(() => db()('subscriptions').where({ id: subscription.id }).first(), (s) => s.status === 'active', 'reactivation');

  const payments = await db()('payments').where({ customer_tax_id: client.taxId }).orderBy('paid_at').select('account_id', 'external_reference', 'currency');
  expect(payments).toEqual([
    { account_id: null, external_reference: 'pse-2', currency: 'COP' },
    { account_id: null, external_reference: 'pse-3', currency: 'COP' },
  ]);
  // Monthly on the calendar, in Bogotá's time zone.
  for (const r of [second, third]) expect(new Date(r.period_start)).toEqual(billingPeriod(anchor, r.period_index, 'America/Bogota').start);
  // The payment's activity reactivates the subscription; the workflow queues the reactivation e-mail after it.
  const mails = await eventually(
    () => db()('outbox').where({ recipient: purchase.billingEmail }).whereIn('template', BILLING_TEMPLATES).orderBy('created_at').pluck('template'),
    (templates: string[]) => templates.includes('subscription-reactivated'),
    'the reactivation e-mail',
  );
  expect(mails).toEqual(['renewal-issued', 'renewal-issued', 'renewal-reminder', 'subscription-suspended', 'subscription-reactivated']);
});
