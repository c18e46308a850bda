/**
 * Seed 001's contract signature through the HTTP API on real Postgres and Temporal: the salesperson
 * sends the won lead's contract before converting it, the client opens it by the e-mailed link with no
 * login and signs it, typed or drawn; the lead's process seals it (the audit page appended to the
 * signed PDF, with the signer, time, IP and the document's hash) and converts the customer, to whom the
 * contract is linked. A bad signature is refused with nothing stored; the link works once.
 */
import { createHash } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { completeInboxTask, eventually, expectError, inboxTask, startApiStack, type ApiStack, type Caller } from '../support/api';
import { seed001People } from '../support/lead-api';
import { recordHistory } from '../support/histories';
import { pdfText } from '../support/pdf-text';
import { signaturePng } from '../support/png';

let stack: ApiStack;
let sales: Caller;
const run = Date.now().toString(36);
let leads = 0;

beforeAll(async () => {
  stack = await startApiStack('contracts');
  ({ sales } = await seed001People(stack));
});

afterAll(async () => {
  await stack?.close();
});

const process = (id: string) => stack.request('GET', `/api/processes/${id}`, sales.token).then((r) => r.body);
const bytesOf = async (path: string, token?: string) => {
  const res = await fetch(`${stack.baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
};

/** A won lead whose salesperson chose to send the contract first: its process and the signing link's token. */
async function leadAwaitingSignature() {
  const n = ++leads;
  const contact = { name: `Firmante ${n}`, email: `firma-${run}-${n}@andina.co` };
  const lead = (await stack.request('POST', '/api/processes', sales.token, { definitionId: 'lead-to-customer', businessKey: `firma-${run}-${n}`, variables: { contact, company: { name: `Andina ${n} S.A.S.`, taxId: '900123456-7' } } })).body.id as string;
  const estimate = (await stack.request('POST', '/api/estimates', sales.token, { processId: lead, customer: contact, currency: 'COP', lines: [{ itemCode: 'kontaly-pro', quantity: 1 }] })).body;
  await stack.request('POST', `/api/estimates/${estimate.id}/send`, sales.token, {});
  const link = await stack.db('outbox').where({ template: 'estimate-sent', recipient: contact.email }).first();
  expect((await stack.request('POST', `/api/public/estimates/${link.payload.linkUrl.split('#')[1]}/accept`)).status).toBe(200);
  await completeInboxTask(stack, sales, lead, 'convertToCustomer', 'contractFirst');
  await eventually(() => process(lead), (p) => p.currentSteps?.includes('awaitSignature'), 'waiting for the signature');
  const mail = await stack.db('outbox').where({ template: 'contract-to-sign', recipient: contact.email }).first();
  return { lead, contact, token: (mail.payload.linkUrl as string).split('#')[1] };
}

const sign = (token: string, body: Record<string, unknown>) => stack.request('POST', `/api/public/contracts/${token}/sign`, undefined, body, { headers: { 'user-agent': 'Mozilla/5.0 (CauceTest)' } });

test('typed: the client signs the contract they were shown; it is sealed with its audit page, the customer converted and linked to it; the link works once', async () => {
  const { lead, contact, token } = await leadAwaitingSignature();
  expect((await process(lead)).stage).toBe('contract-sent');
  const shown = await stack.request('GET', `/api/public/contracts/${token}`);
  expect(shown).toMatchObject({ status: 200, body: { status: 'sent', signerEmail: contact.email, signedAt: null } });
  const toSign = await bytesOf(`/api/public/contracts/${token}/pdf`);
  expect(createHash('sha256').update(toSign).digest('hex')).toBe(shown.body.sha256);
  expect(pdfText(toSign)).toContain('Contrato de suscripción Kontaly: Andina');

  const signed = await sign(token, { method: 'typed', signerName: contact.name, typedSignature: contact.name, agree: true });
  expect(signed).toMatchObject({ status: 200, body: { signed: true, contractId: shown.body.contractId, sha256: shown.body.sha256 } });
  const converted = await eventually(() => process(lead), (p) => p.currentSteps?.includes('reviewInvoice'), 'the customer converted');
  expect(converted.stageHistory.map((h: { stage: string }) => h.stage)).toEqual(['new', 'won', 'contract-sent', 'contract-signed', 'customer']);
  await recordHistory(await stack.handle(lead), 'lead-contract-signed');
  const contract = await stack.db('customer_contracts').where({ id: shown.body.contractId }).first();
  expect(contract).toMatchObject({ status: 'signed', customer_id: converted.variables.customer.customerId, signed_at: expect.any(Date) });
  expect(await stack.db('customer_contract_signatures').where({ contract_id: contract.id }).first()).toMatchObject({
    method: 'typed', signer_name: contact.name, signer_email: contact.email, typed_signature: contact.name, user_agent: 'Mozilla/5.0 (CauceTest)', document_sha256: shown.body.sha256, ip: expect.stringMatching(/127\.0\.0\.1/),
  });

  // The signed PDF: the document as shown, then its audit page.
  const sealed = await bytesOf(`/api/contracts/${contract.id}/pdf`, sales.token);
  expect((await PDFDocument.load(sealed)).getPageCount()).toBe((await PDFDocument.load(toSign)).getPageCount() + 1);
  const audit = pdfText(sealed);
  for (const part of ['Registro de firma electrónica', `SHA-256 del documento firmado: ${shown.body.sha256}`, `Firmante: ${contact.name} <${contact.email}>`, 'Método: nombre escrito como firma', 'Navegador: Mozilla/5.0 (CauceTest)']) expect(audit).toContain(part);
  expect(audit).toMatch(/Dirección IP: .*127\.0\.0\.1/);

  expectError(await sign(token, { method: 'typed', signerName: contact.name, typedSignature: contact.name, agree: true }), 410, 'link_used');
  expectError(await stack.request('GET', `/api/public/contracts/${token}`), 410, 'link_used');
});

test('drawn: the drawing is on the audit page; a drawing that is not a PNG, a typed signature without its text, or no agreement are refused with nothing stored', async () => {
  const { lead, contact, token } = await leadAwaitingSignature();
  const refusals = [
    [await sign(token, { method: 'drawn', signerName: contact.name, drawingPng: Buffer.from('not a picture at all, just text pretending').toString('base64'), agree: true }), 422, 'invalid_signature'],
    // A PNG's header over garbage, and a small PNG claiming a huge canvas: neither is spent on the seal.
    [await sign(token, { method: 'drawn', signerName: contact.name, drawingPng: Buffer.concat([signaturePng().subarray(0, 33), Buffer.alloc(200, 7)]).toString('base64'), agree: true }), 422, 'invalid_signature'],
    [await sign(token, { method: 'drawn', signerName: contact.name, drawingPng: signaturePng(30_000, 20).toString('base64'), agree: true }), 422, 'invalid_signature'],
    [await sign(token, { method: 'typed', signerName: contact.name, agree: true }), 400, 'invalid_request'],
    [await sign(token, { method: 'typed', signerName: contact.name, typedSignature: contact.name }), 400, 'invalid_request'],
    [await sign(token, { method: 'drawn', signerName: contact.name, agree: true }), 400, 'invalid_request'],
  ] as const;
  for (const [res, status, code] of refusals) expectError(res, status, code);
  expect(await stack.db('customer_contract_signatures').whereIn('contract_id', stack.db('customer_contracts').where({ process_id: lead }).select('id'))).toEqual([]);
  expect((await process(lead)).currentSteps).toEqual(['awaitSignature']);

  const drawing = signaturePng();
  expect((await sign(token, { method: 'drawn', signerName: contact.name, drawingPng: drawing.toString('base64'), agree: true })).status).toBe(200);
  await eventually(() => process(lead), (p) => p.currentSteps?.includes('reviewInvoice'), 'the customer converted');
  const contract = await stack.db('customer_contracts').where({ process_id: lead }).first();
  expect((await stack.db('customer_contract_signatures').where({ contract_id: contract.id }).first()).drawing_png.equals(drawing)).toBe(true);
  const sealed = await bytesOf(`/api/contracts/${contract.id}/pdf`, sales.token);
  expect(pdfText(sealed)).toContain('Método: firma dibujada');
  // The drawing is embedded in the audit page as an image.
  expect(sealed.toString('latin1')).toMatch(/\/Subtype\s*\/Image/);
});

test('a won lead still converts in one action without a contract; the contract task is there for who needs it', async () => {
  const n = ++leads;
  const contact = { name: `Sin contrato ${n}`, email: `sincontrato-${run}-${n}@andina.co` };
  const lead = (await stack.request('POST', '/api/processes', sales.token, { definitionId: 'lead-to-customer', businessKey: `sincontrato-${run}-${n}`, variables: { contact } })).body.id as string;
  const estimate = (await stack.request('POST', '/api/estimates', sales.token, { processId: lead, customer: contact, currency: 'COP', lines: [{ itemCode: 'kontaly-basico', quantity: 1 }] })).body;
  await stack.request('POST', `/api/estimates/${estimate.id}/send`, sales.token, {});
  const link = await stack.db('outbox').where({ template: 'estimate-sent', recipient: contact.email }).first();
  await stack.request('POST', `/api/public/estimates/${link.payload.linkUrl.split('#')[1]}/accept`);
  const task = await inboxTask(stack, sales, lead, 'convertToCustomer');
  expect([...task.outcomes].sort()).toEqual(['contractFirst', 'converted']);
  await completeInboxTask(stack, sales, lead, 'convertToCustomer', 'converted');
  await eventually(() => process(lead), (p) => p.currentSteps?.includes('reviewInvoice'), 'the customer converted');
  expect(await stack.db('customer_contracts').where({ process_id: lead })).toEqual([]);
});
