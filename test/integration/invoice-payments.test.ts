/**
 * `POST /api/invoices/:id/payments`: a renewal of a customer's subscription (seed 004: no digital
 * account) paid through the API, against the real billing workflow on the dev server. The subscription
 * is written as subscriptions.startForWorkOrder writes one, anchored 40 days ago, so its second month is
 * billed at once.
 */
import { randomUUID } from 'node:crypto';
import { SUBSCRIPTION_BILLING_WORKFLOW, subscriptionBillingWorkflowId } from '../../workflows/subscription-billing';
import { eventually, expectError, startApiStack, type ApiStack } from '../support/api';

let stack: ApiStack;
const tokens: Record<string, string> = {};
let subscriptionId: string;
let workOrderId: string;
let renewal: { id: string; number: number; amount: string };
const NIT = '901.555.222-3';

beforeAll(async () => {
  stack = await startApiStack('invoice-payments');
  for (const user of ['integration', 'billing', 'consultant']) tokens[user] = await stack.login(user);
  const anchor = new Date(Date.now() - 40 * 86_400_000);
  [{ id: workOrderId }] = await stack.db('work_orders')
    .insert({
      number: `OT-T${Date.now() % 1_000_000}`, contract_number: 'MND-000777', client_tax_id: NIT, client_name: 'Ferretería El Tornillo S.A.S.',
      product: 'mnd-basico', status: 'closed', closed_at: anchor, billing_started_at: anchor, idempotency_key: `test:${randomUUID()}`,
    })
    .returning('id');
  [{ id: subscriptionId }] = await stack.db('subscriptions')
    .insert({
      work_order_id: workOrderId, customer_tax_id: NIT, customer_name: 'Ferretería El Tornillo S.A.S.', customer_email: 'pagos@eltornillo.co',
      product: 'Mi Negocio Digital mnd-basico', channel: 'Mi Negocio Digital', seller_name: 'Laura Gómez', base_price: 59900, currency: 'COP',
      periodicity: 'monthly', status: 'active', billing_anchor_at: anchor, billing_zone: 'America/Bogota', idempotency_key: `test:${randomUUID()}`,
    })
    .returning('id');
  await stack.temporal.workflow.start(SUBSCRIPTION_BILLING_WORKFLOW, {
    workflowId: subscriptionBillingWorkflowId(subscriptionId), taskQueue: stack.config.temporal.taskQueue, args: [{ subscriptionId, fromPeriod: 1 }],
  });
  renewal = await eventually<any>(() => stack.db('invoices').where({ subscription_id: subscriptionId, period_index: 1 }).first(), Boolean, 'the second month');
});

afterAll(async () => {
  await stack?.temporal.workflow.getHandle(subscriptionBillingWorkflowId(subscriptionId)).terminate('test over').catch(() => undefined);
  await stack?.close();
});

const pay = (invoiceId: string, body: Record<string, unknown>, key?: string, token = tokens.integration) =>
  stack.request('POST', `/api/invoices/${invoiceId}/payments`, token, body, key ? { headers: { 'idempotency-key': key } } : {});

const payment = { amount: 59900, currency: 'COP', method: 'pse', transactionId: 'pse-7781' };

describe('POST /api/invoices/:id/payments', () => {
  test('refuses what cannot pay the invoice, naming the field, and writes nothing', async () => {
    expectError(await pay(renewal.id, payment), 400, 'missing_idempotency_key');
    const amount = await pay(renewal.id, { ...payment, amount: 5990 }, 'inv-amount');
    expectError(amount, 422, 'amount_mismatch');
    expect(amount.body.error.details).toEqual([expect.objectContaining({ in: 'body', path: '/amount' })]);
    const currency = await pay(renewal.id, { ...payment, currency: 'CLP' }, 'inv-currency');
    expectError(currency, 422, 'currency_mismatch');
    expect(currency.body.error.details).toEqual([expect.objectContaining({ path: '/currency' })]);
    expectError(await pay(renewal.id, { ...payment, amount: '59900' }, 'inv-type'), 400);
    // The closing's own invoice renews nothing: it is not paid here.
    const [{ id: firstMonth }] = await stack.db('invoices')
      .insert({ number: 990_000 + (Date.now() % 9_999), work_order_id: workOrderId, customer_tax_id: NIT, customer_name: 'Ferretería El Tornillo S.A.S.', description: 'Mi Negocio Digital mnd-basico', amount: 59900, currency: 'COP', channel: 'Mi Negocio Digital', idempotency_key: `test:${randomUUID()}` })
      .returning('id');
    expectError(await pay(firstMonth, payment, 'inv-first'), 404);
    expectError(await pay(randomUUID(), payment, 'inv-unknown'), 404);
    // Only those who post payments may.
    expectError(await pay(renewal.id, payment, 'inv-consultant', tokens.consultant), 403);
    expect(await stack.db('webhook_deliveries').whereIn('idempotency_key', ['inv-amount', 'inv-currency', 'inv-first', 'inv-consultant'])).toEqual([]);
    expect((await stack.db('invoices').where({ id: renewal.id }).first()).paid_at).toBeNull();
  });

  test('pays the renewal once through its billing workflow; a repeat is a duplicate, a reused key another payment refused', async () => {
    const paid = await pay(renewal.id, payment, 'inv-pse-7781', tokens.billing);
    expect(paid.status).toBe(202);
    expect(paid.body).toEqual({
      accepted: true, duplicate: false, invoiceId: renewal.id, processId: subscriptionBillingWorkflowId(subscriptionId), eventId: 'inv-pse-7781', amountDue: 59900,
    });
    const again = await pay(renewal.id, payment, 'inv-pse-7781');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, invoiceId: renewal.id });
    expectError(await pay(renewal.id, { ...payment, transactionId: 'pse-other' }, 'inv-pse-7781'), 422, 'idempotency_key_reused');

    const invoice = await eventually(() => stack.db('invoices').where({ id: renewal.id }).first(), (r) => r.paid_at !== null, 'the renewal paid');
    const payments = await stack.db('payments').where({ customer_tax_id: NIT });
    expect(payments).toEqual([expect.objectContaining({ id: invoice.payment_id, account_id: null, amount: '59900.00', currency: 'COP', method: 'pse', external_reference: 'pse-7781' })]);
    const late = await pay(renewal.id, { ...payment, transactionId: 'pse-7799' }, 'inv-pse-7799');
    expectError(late, 409, 'already_paid');
    expect(late.body.error.message).toContain(`Invoice ${renewal.number} was paid`);
  });
});
