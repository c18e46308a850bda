/**
 * Seed 001's lead taken through the HTTP API to its sent invoice, as its people do it: the salesperson
 * starts it and sends an estimate of one Kontaly Pro, the client accepts on the portal link, the
 * salesperson converts and billing issues. For the tests of what comes after (payment, the portal).
 */
import { completeInboxTask, completeTask, eventually, inboxTask, type ApiStack, type Caller } from './api';

/** The salesperson (valentina) and the billing clerk (beatriz) who take a lead to its invoice. */
export async function seed001People(stack: ApiStack): Promise<{ sales: Caller; billing: Caller }> {
  await stack.addUser('valentina', ['sales']);
  await stack.addUser('beatriz', ['billing']);
  return { sales: { username: 'valentina', token: await stack.login('valentina') }, billing: { username: 'beatriz', token: await stack.login('beatriz') } };
}

export interface SentInvoice {
  lead: string;
  contact: { name: string; email: string };
  invoice: { invoiceId: string; number: number; paymentUrl: string | null };
  /** The set-password link's token of the welcome e-mail. */
  portalSetupToken: string;
}

export async function leadWithSentInvoice(stack: ApiStack, people: { sales: Caller; billing: Caller }, businessKey: string): Promise<SentInvoice> {
  const { sales, billing } = people;
  const contact = { name: `Cliente ${businessKey}`, email: `${businessKey}@andina.co` };
  const started = await stack.request('POST', '/api/processes', sales.token, { definitionId: 'lead-to-customer', businessKey, variables: { contact } });
  const lead = started.body.id as string;
  const estimate = (await stack.request('POST', '/api/estimates', sales.token, { processId: lead, customer: contact, currency: 'COP', lines: [{ itemCode: 'kontaly-pro', quantity: 1 }] })).body;
  await stack.request('POST', `/api/estimates/${estimate.id}/send`, sales.token, {});
  const link = await stack.db('outbox').where({ template: 'estimate-sent', recipient: contact.email }).first();
  const accepted = await stack.request('POST', `/api/public/estimates/${link.payload.linkUrl.split('#')[1]}/accept`);
  if (accepted.status !== 200) throw new Error(`the client's acceptance answered ${accepted.status}: ${JSON.stringify(accepted.body)}`);
  await completeInboxTask(stack, sales, lead, 'convertToCustomer', 'converted');
  await completeTask(stack, billing, await inboxTask(stack, billing, lead, 'reviewInvoice'), 'issue');
  const waiting = await eventually(
    () => stack.request('GET', `/api/processes/${lead}`, sales.token).then((r) => r.body),
    (p) => p.currentSteps?.includes('awaitPayment'),
    'the invoice sent, waiting for its payment',
  );
  const welcome = await stack.db('outbox').where({ template: 'portal-welcome', recipient: contact.email }).first();
  return { lead, contact, invoice: waiting.variables.invoice, portalSetupToken: welcome.payload.setPasswordUrl.split('#')[1] };
}
