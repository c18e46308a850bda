/**
 * Seed 001's lead process driven as the API drives it, for the time-skipping tests: an estimate of the
 * given catalog items sent and accepted (its answer as the estimate.answered message), the conversion
 * and billing's review as task completions, up to the issued invoice waiting for its payment.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Knex } from 'knex';
import type { SavedPaymentMethod } from '../../domain/billing';
import { priceLines, type LineInput } from '../../domain/estimates';
import { createEstimateStore } from '../../lib/estimates';
import { messageUpdate } from '../../workflows/messages';
import type { DefinitionVersion } from '../../workflows/model';
import { DAY, completeStep, startProcess, waitForState } from './processes';

export interface InvoicedLead { handle: WorkflowHandle; invoiceId: string; totalMinor: number }

export async function leadWithIssuedInvoice(
  client: Client, taskQueue: string, db: Knex, definition: DefinitionVersion,
  businessKey: string, contact: { name: string; email: string }, items: LineInput[],
): Promise<InvoicedLead> {
  const handle = await startProcess(client, taskQueue, definition, businessKey, { contact });
  const estimates = createEstimateStore(db);
  const priced = priceLines(items, await estimates.catalog(), 'COP');
  if (!('lines' in priced)) throw new Error(`the catalog does not price ${JSON.stringify(items)}`);
  const estimate = await estimates.create({ customerName: contact.name, customerEmail: contact.email, process: { id: handle.workflowId, businessKey }, currency: 'COP', ...priced, createdBy: 'valentina' });
  await estimates.send(estimate, { email: contact.email, expiresAt: new Date(Date.now() + 30 * DAY), createdBy: 'valentina', portalUrl: (t) => `http://portal/${t}` });
  const answer = { estimateId: estimate.id, version: 1, decision: 'accepted', reason: null, totalMinor: priced.totals.totalMinor, currency: 'COP', answeredBy: contact.email };
  await handle.executeUpdate(messageUpdate, { args: [{ messageId: `answer-${estimate.id}`, event: 'estimateAnswered', payload: answer, actor: contact.email }] });
  await completeStep(handle, definition, 'convertToCustomer', 'converted', { username: 'valentina', roles: ['sales'] });
  await completeStep(handle, definition, 'reviewInvoice', 'issue', { username: 'beatriz', roles: ['billing'] });
  const sent = await waitForState(handle, (s) => s.currentSteps.includes('awaitPayment'));
  return { handle, invoiceId: (sent.variables.invoice as { invoiceId: string }).invoiceId, totalMinor: priced.totals.totalMinor };
}

/** The gateway's payment as the webhook sends it to the lead (the invoice.paid message). */
export async function payLead(lead: InvoicedLead, paymentId: string, at: string, savedMethod: SavedPaymentMethod | null = null): Promise<void> {
  const payment = { invoiceId: lead.invoiceId, gateway: 'stripe', paymentId, amountMinor: lead.totalMinor, currency: 'COP', at, failure: null, savedMethod };
  await lead.handle.executeUpdate(messageUpdate, { args: [{ messageId: `stripe:paid:${paymentId}`, event: 'invoicePaid', payload: payment, actor: 'stripe' }] });
}
