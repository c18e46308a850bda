/**
 * Seed 001's client portal after conversion, through the HTTP API on real Postgres and Temporal (and
 * stripe-mock): the customer sets a password by the welcome link, signs in to a portal session of its
 * own, and sees their invoices with their PDF and payment page; nothing of another customer's, and
 * the portal and staff sessions never open each other's routes.
 */
import { eventually, expectError, startApiStack, type ApiStack, type Caller } from '../support/api';
import { leadWithSentInvoice, seed001People, type SentInvoice } from '../support/lead-api';
import { pdfText } from '../support/pdf-text';
import { paymentIntentEvent, signed, withStripe } from '../support/stripe';

let stack: ApiStack;
let sales: Caller;
let billing: Caller;
const run = Date.now().toString(36);
const PASSWORD = 'una clave bien larga';

beforeAll(async () => {
  stack = await startApiStack('portal', { config: withStripe });
  ({ sales, billing } = await seed001People(stack));
});

afterAll(async () => {
  await stack?.close();
});

const login = (email: string, password: string) => stack.request('POST', '/api/public/portal/login', undefined, { email, password });
async function customerWithPassword(key: string): Promise<SentInvoice & { token: string }> {
  const sent = await leadWithSentInvoice(stack, { sales, billing }, `${key}-${run}`);
  expect((await stack.request('POST', `/api/public/portal-setup/${sent.portalSetupToken}`, undefined, { password: PASSWORD })).status).toBe(200);
  const res = await login(sent.contact.email.toUpperCase(), PASSWORD);
  expect(res).toMatchObject({ status: 200, body: { customer: { name: sent.contact.name, email: sent.contact.email }, token: expect.any(String) } });
  return { ...sent, token: res.body.token };
}
const pdf = (path: string, token: string) => fetch(`${stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

test('a customer signs in and sees their invoice with its PDF and Stripe page; paid, it says so and the page goes', async () => {
  const { token, contact, invoice } = await customerWithPassword('portal-a');
  expect((await stack.request('GET', '/api/portal/me', token)).body).toEqual({ name: contact.name, email: contact.email });
  const listed = await stack.request('GET', '/api/portal/invoices', token);
  expect(listed).toMatchObject({ status: 200, body: { items: [{ id: invoice.invoiceId, number: invoice.number, status: 'sent', amountMinor: 5_938_100, currency: 'COP', paymentUrl: invoice.paymentUrl, paidAt: null }] } });
  expect(invoice.paymentUrl).toMatch(/^https:\/\/checkout\.stripe\.com\//);
  const document = await pdf(`/api/portal/invoices/${invoice.invoiceId}/pdf`, token);
  expect(document.status).toBe(200);
  expect(pdfText(Buffer.from(await document.arrayBuffer()))).toContain(`Factura N° ${invoice.number}`);

  const { body, signature } = signed(paymentIntentEvent('payment_intent.succeeded', { id: `pi_portal_${run}`, invoiceId: invoice.invoiceId, amount: 5_938_100, currency: 'cop' }));
  expect((await stack.request('POST', '/api/webhooks/gateways/stripe', undefined, undefined, { raw: body, headers: { 'content-type': 'application/json', 'stripe-signature': signature } })).body.outcome).toBe('delivered');
  const paid = await eventually(() => stack.request('GET', '/api/portal/invoices', token), (r) => r.body.items[0].status === 'paid', 'the invoice paid in the portal');
  expect(paid.body.items[0]).toMatchObject({ status: 'paid', paidAt: expect.any(String), paymentUrl: null });

  expect((await stack.request('POST', '/api/portal/logout', token)).status).toBe(204);
  expectError(await stack.request('GET', '/api/portal/invoices', token), 401);
});

test("a wrong password, an unknown e-mail and a password never set get one answer; another customer's invoice is 404; portal and staff sessions open only their own routes", async () => {
  const a = await customerWithPassword('portal-b');
  const b = await leadWithSentInvoice(stack, { sales, billing }, `portal-c-${run}`);
  const refusals = [await login(a.contact.email, 'not the password'), await login(`nobody-${run}@andina.co`, PASSWORD), await login(b.contact.email, PASSWORD)];
  for (const res of refusals) expectError(res, 401);
  expect(new Set(refusals.map((r) => r.body.error.message))).toEqual(new Set(['Invalid e-mail or password']));

  expectError(await stack.request('GET', `/api/portal/invoices/${b.invoice.invoiceId}/pdf`, a.token), 404);
  expect((await stack.request('GET', '/api/portal/invoices', a.token)).body.items.map((i: { id: string }) => i.id)).toEqual([a.invoice.invoiceId]);
  // Each sees the estimate they accepted, as a PDF; the other's is 404, and so is a contract none signed.
  const own = (await stack.request('GET', '/api/portal/documents', a.token)).body;
  expect(own).toMatchObject({ estimate: { version: 1, status: 'accepted', totalMinor: 5_938_100, currency: 'COP' }, contracts: [] });
  const estimatePdf = await pdf(`/api/portal/estimates/${own.estimate.id}/pdf`, a.token);
  expect([estimatePdf.status, estimatePdf.headers.get('content-type'), Buffer.from(await estimatePdf.arrayBuffer()).subarray(0, 5).toString()]).toEqual([200, 'application/pdf', '%PDF-']);
  const [theirs] = (await stack.request('GET', `/api/estimates?processId=${encodeURIComponent(b.lead)}`, sales.token)).body.items;
  expectError(await stack.request('GET', `/api/portal/estimates/${theirs.id}/pdf`, a.token), 404);
  expectError(await stack.request('GET', `/api/portal/contracts/${theirs.id}/pdf`, a.token), 404);
  // A staff token opens no portal route; a portal token no staff route.
  expectError(await stack.request('GET', '/api/portal/invoices', sales.token), 401);
  expectError(await stack.request('GET', '/api/processes', a.token), 401);
  expectError(await stack.request('GET', `/api/invoices/${a.invoice.invoiceId}/pdf`, a.token), 401);
});
