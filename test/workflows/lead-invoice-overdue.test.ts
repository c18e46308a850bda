/**
 * Seed 001's invoice left unpaid, on the time-skipping server with the real definition and activities:
 * fifteen days after it is sent the invoice is overdue (stage too, and the customer is e-mailed), and a
 * payment through the gateway still pays it. The lead is taken there as the API would take it: the
 * estimate's answer as its message, the conversion and the invoice review as task completions.
 */
import { INVOICE_PAID } from '../../domain/billing';
import { ESTIMATE_ANSWERED } from '../../domain/estimates';
import { stateQuery } from '../../workflows/messages';
import type { DefinitionVersion } from '../../workflows/model';
import { leadWithIssuedInvoice, payLead } from '../support/lead-process';
import { DAY, deployDefinitions, waitForState } from '../support/processes';
import { useTimeSkippingStack } from '../support/time-skipping';

const stack = useTimeSkippingStack('lead-overdue');
let definition: DefinitionVersion;

beforeAll(async () => {
  definition = await (await deployDefinitions(stack.database.db))('lead-to-customer');
});

it('an invoice unpaid for 15 days is overdue, and a payment through the gateway still pays it', async () => {
  const { db } = stack.database;
  const contact = { name: 'Laura Restrepo', email: 'laura@panaderiaeltrigal.co' };
  const lead = await leadWithIssuedInvoice(stack.env.client, stack.taskQueue, db, definition, 'trigal', contact, [{ itemCode: 'implementacion', quantity: 1 }]);
  const { handle, invoiceId } = lead;
  expect(await db('invoices').where({ id: invoiceId }).first()).toMatchObject({ status: 'sent', payment_url: null });

  await stack.env.sleep(14 * DAY);
  expect((await handle.query(stateQuery)).currentSteps).toEqual(['awaitPayment']);
  await stack.env.sleep(DAY + 60_000);
  const overdue = await waitForState(handle, (s) => s.currentSteps.includes('awaitLatePayment'));
  expect(overdue.stage).toBe('overdue');
  expect(await db('invoices').where({ id: invoiceId }).first()).toMatchObject({ status: 'overdue' });
  expect(await db('outbox').where({ template: 'invoice-overdue', recipient: contact.email })).toHaveLength(1);

  await payLead(lead, 'pi_late', new Date(await stack.env.currentTimeMs()).toISOString());
  expect(await handle.result()).toMatchObject({ status: 'completed', outcome: 'paid' });
  expect(await db('invoices').where({ id: invoiceId }).first()).toMatchObject({ status: 'paid', paid_at: expect.any(Date) });
  expect(await db('payments').where({ external_reference: 'pi_late' }).first()).toMatchObject({ amount: (lead.totalMinor / 100).toFixed(2), method: 'stripe' });
  // Implementation alone recurs not: no monthly billing.
  expect((await handle.query(stateQuery)).variables.subscription).toBeUndefined();
  expect(await db('subscriptions').where({ customer_id: (await db('invoices').where({ id: invoiceId }).first()).customer_id })).toEqual([]);
  // The message names the YAML declares for the gateway's webhook.
  expect(definition.definition.messages).toMatchObject({ [ESTIMATE_ANSWERED]: { event: 'estimateAnswered' }, [INVOICE_PAID]: { event: 'invoicePaid' } });
});
