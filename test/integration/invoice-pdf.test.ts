/**
 * GET /api/invoices/:id/pdf on the real app, worker and Postgres: the Canal Digital invoice of a paid
 * trial as a PDF, naming the seller only when the CRM has a commercial owner (seed 000).
 */
import { eventually, startApiStack, type ApiStack } from '../support/api';
import { pdfText } from '../support/pdf-text';
import { issuedInvoice } from '../support/invoices';

let stack: ApiStack;
let store: string;
let sales: string;

beforeAll(async () => {
  stack = await startApiStack('invoice-pdf');
  store = await stack.login('integration');
  sales = await stack.login('sales');
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

async function pdf(invoiceId: string, token = sales) {
  const res = await fetch(`${stack.baseUrl}/api/invoices/${invoiceId}/pdf`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
}

/** A trial paid at once through the webhook; its first invoice once the process wrote it. */
async function paidInvoice(email: string, rut: string) {
  const signup = await stack.request('POST', '/api/accounts', store, { kind: 'trial', email, rut, name: 'Ferretería Los Andes SpA', channel: 'ecommerce' });
  expect(signup.status).toBe(201);
  const { accountId } = signup.body;
  const paid = await stack.request('POST', '/api/webhooks/payments', store, { accountId, amount: 29990, method: 'webpay', transactionId: `tx-${accountId}` }, { headers: { 'idempotency-key': `pdf-${accountId}` } });
  expect(paid.status).toBe(202);
  const [invoice] = await eventually(() => stack.db('invoices').where({ account_id: accountId }), (rows) => rows.length > 0, `the invoice of ${accountId}`);
  return invoice;
}

test('the invoice PDF names the channel and the seller the CRM gives, the customer, the lines and the total', async () => {
  await stack.db('crm_records').insert({ external_id: 'pdf-hs-1', system: 'hubspot', kind: 'contact', email: 'pdf@ferreteria.cl', name: 'Contacto', owner_name: 'Camila Rojas' });
  const invoice = await paidInvoice('pdf@ferreteria.cl', '11.111.111-1');

  const res = await pdf(invoice.id);

  expect(res.status).toBe(200);
  expect(res.type).toBe('application/pdf');
  expect(res.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const text = pdfText(res.body);
  expect(text).toContain(`Factura N° ${invoice.number}`);
  expect(text).toContain('Canal: Canal Digital');
  expect(text).toContain('Vendedor: Camila Rojas');
  expect(text).toContain('Cliente: Ferretería Los Andes SpA');
  expect(text).toContain('Plan trial-pyme: primer periodo');
  expect(text).toContain('CLP 29.990');
  expect(text).toMatch(/^RUT: \S+$/m);
});

test("an invoice prints its country's tax-id name and dates: a BOB invoice at 23:30 in La Paz on Nov 30 is dated Nov 30", async () => {
  const invoice = await issuedInvoice(stack.db, '2026-12-01T03:30:00Z', '279.00');
  const text = pdfText((await pdf(invoice.id)).body);
  expect(text).toContain(`NIT / CI: ${invoice.customer_tax_id}`);
  expect(text).toContain('Emitida: 30/11/2026');
  expect(text).toContain('BOB 279');
});

test('no seller line when the CRM names no commercial owner; an unknown invoice is 404', async () => {
  const invoice = await paidInvoice('sinvendedor@ferreteria.cl', '12.345.678-5');
  const text = pdfText((await pdf(invoice.id)).body);
  expect(text).toContain('Canal: Canal Digital');
  expect(text).not.toContain('Vendedor');

  const missing = await pdf('00000000-0000-4000-8000-000000000000');
  expect(missing.status).toBe(404);
});
