/**
 * Seed 002, COMTECO's residential digital sale, through the HTTP API on the dev server with real
 * activities and Postgres: the coverage table loaded from CSV, then every branch of the process —
 * business customer, no coverage, no capacity, offer refused, a plan the zone cannot take, prepaid by
 * transfer (mismatched, then corrected), prepaid on the web, and postpaid with monthly billing; and the
 * public intake a prospect's sale starts from.
 */
import { completeInboxTask, eventually, expectError, inboxTask, startApiStack, type ApiStack, type Caller } from '../support/api';
import { pdfBytes, pngBytes, uploadDocument } from '../support/documents';
import { pdfText } from '../support/pdf-text';
import { runCli, useCliEnvironment } from '../support/cli';

let stack: ApiStack;
const callers: Record<string, Caller> = {};
let example: Record<string, any>;
let seq = 0;

const ROLES = ['admin', 'digital-sales-executive', 'help-desk', 'collections', 'cashier', 'digital-channels-lead'] as const;

beforeAll(async () => {
  // One address per test through X-Forwarded-For (one proxy hop believed); the intake allows 6 per address.
  stack = await startApiStack('residential', {
    config: (c) => ({ ...c, http: { ...c.http, trustProxyHops: 1 }, auth: { ...c.auth, publicFormsPerAddress: { failures: 6, windowSeconds: 3600, blockSeconds: 600 } } }),
  });
  for (const user of ROLES) callers[user] = { username: user, token: await stack.login(user) };
  example = (await stack.request('GET', '/api/definitions/residential-sale', callers.admin.token)).body.definition.variables.examples[0];
  // The demo coverage (lib/demo-data.ts) is loaded; this test's zones come from a file.
  const loaded = await loadCoverage('zone,technology,max_speed_mbps\nquillacollo,fiber,100\nquillacollo,adsl,10\ntiquipaya,wireless,20\n');
  expect(loaded).toMatchObject({ status: 200, body: { rows: 3, inserted: 3, updated: 0 } });
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

function loadCoverage(csv: string, as: Caller = callers['digital-channels-lead']) {
  return stack.request('POST', '/api/coverage', as.token, undefined, { raw: csv, headers: { 'content-type': 'text/csv' } });
}

const executive = () => callers['digital-sales-executive'];
const complete = (user: string, id: string, step: string, outcome: string, data?: Record<string, unknown>) => completeInboxTask(stack, callers[user], id, step, outcome, data);
const detail = async (id: string) => (await stack.request('GET', `/api/processes/${id}`, callers.admin.token)).body;
const ended = (id: string) => eventually(() => detail(id), (d) => d.status !== 'running', `${id} to end`);
const mails = (id: string, template: string) =>
  eventually(() => stack.db('outbox').where({ instance_id: id, template }).orderBy('created_at'), (rows) => rows.length > 0, `a ${template} e-mail of ${id}`);

async function start(prospect: Record<string, unknown> = {}) {
  const res = await stack.request('POST', '/api/processes', executive().token, {
    definitionId: 'residential-sale',
    businessKey: `residential-${++seq}`,
    variables: { ...example, prospect: { ...example.prospect, ...prospect } },
  });
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
  return res.body.id as string;
}

/** The customer's data, in a zone of the test's coverage file. */
const customer = (over: Record<string, unknown> = {}) => ({
  customerKind: 'new', fullName: `Cliente ${seq}`, idNumber: `65432${String(seq).padStart(2, '0')}`, phone: '+591 70712345', email: `cliente${seq}@gmail.com`,
  address: 'Av. Blanco Galindo km 13', zone: 'quillacollo', requestedSpeedMbps: 50, usageType: 'home', browsingHours: 'evening', ...over,
});

async function toOffer(over: Record<string, unknown> = {}) {
  const id = await start();
  await complete('digital-sales-executive', id, 'classifyCustomer', 'residential');
  await complete('digital-sales-executive', id, 'recordCustomer', 'recorded', customer(over));
  await complete('help-desk', id, 'checkCapacity', 'confirmed', { diagnosis: 'Nodo con capacidad.' });
  return id;
}

/** Up to the payment mode: plan hogar-fibra-100 (BOB 279.00 a month, no installation fee), requirements uploaded. */
async function toPaymentMode() {
  const id = await toOffer();
  await complete('digital-sales-executive', id, 'negotiateOffer', 'accepted', { planCode: 'hogar-fibra-100' });
  const upload = async (kind: string, bytes: Buffer, filename: string) => (await uploadDocument(stack.baseUrl, executive().token, bytes, { kind, filename })).body.id;
  await complete('digital-sales-executive', id, 'collectRequirements', 'collected', {
    idCard: await upload('id-card', pngBytes(12, seq), 'carnet.png'),
    installationLocation: await upload('installation-location', pdfBytes(`croquis ${seq}`), 'croquis.pdf'),
    requestLetter: await upload('request-letter', pdfBytes(`carta ${seq}`), 'carta.pdf'),
    receivedVia: 'whatsapp',
  });
  return id;
}

/** The payment mode, then the sale entered in Smartflex (steps 21-23). */
async function choosePayment(id: string, mode: 'prepaidTransfer' | 'prepaidWeb' | 'postpaid') {
  await complete('digital-sales-executive', id, 'choosePaymentMode', mode);
  await complete('digital-sales-executive', id, 'enterSale', 'entered', { smartflexRequest: `SF-${seq}` });
}

async function unattendedRow(id: string) {
  return stack.db('unattended_requests').where({ instance_id: id }).first();
}

describe('the coverage table', () => {
  test('a file with bad rows is refused row by row, with the line and the reason, and loads nothing', async () => {
    const before = await stack.db('coverage_zones').count<{ count: string }[]>('* as count');
    const res = await loadCoverage('zone,technology,max_speed_mbps\nvinto,fiber,100\nVinto Norte,cable,100\nvinto,fiber,50\nsipe-sipe,adsl,0\n');
    expectError(res, 422, 'invalid_coverage_rows');
    expect(res.body.error.message).toBe('3 row(s) of the coverage CSV cannot be loaded; nothing was loaded');
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ path: 'line 3', message: expect.stringMatching(/^zone: must be lower-case words/) }),
      expect.objectContaining({ path: 'line 3', message: expect.stringMatching(/^technology: must be one of fiber, hfc, adsl, wireless/) }),
      expect.objectContaining({ path: 'line 4', message: 'zone vinto with fiber already appears on line 2' }),
      expect.objectContaining({ path: 'line 5', message: expect.stringMatching(/^max_speed_mbps: must be a whole number/) }),
    ]);
    expect(await stack.db('coverage_zones').count<{ count: string }[]>('* as count')).toEqual(before);
    expect(await stack.db('coverage_zones').where({ zone: 'vinto' })).toEqual([]);
    expectError(await loadCoverage('zona,tecnologia\nvinto,fiber\n'), 422, 'invalid_csv_header');
  });

  test('loading again replaces the speeds of the pairs it names; the table is read by those who sell on it, loaded only by the lead', async () => {
    const res = await loadCoverage('zone,technology,max_speed_mbps\ncolcapirhua,hfc,30\ncolcapirhua,fiber,200\n');
    expect(res.body).toEqual({ rows: 2, inserted: 2, updated: 0 });
    expect((await loadCoverage('zone,technology,max_speed_mbps\ncolcapirhua,hfc,50\n')).body).toEqual({ rows: 1, inserted: 0, updated: 1 });
    const table = await stack.request('GET', '/api/coverage', executive().token);
    expect(table.body.items.filter((r: any) => r.zone === 'colcapirhua')).toEqual([
      expect.objectContaining({ technology: 'fiber', maxSpeedMbps: 200, updatedBy: 'digital-channels-lead' }),
      expect.objectContaining({ technology: 'hfc', maxSpeedMbps: 50 }),
    ]);
    expectError(await loadCoverage('zone,technology,max_speed_mbps\ncolcapirhua,hfc,1\n', executive()), 403);
  });
});

describe('residential-sale', () => {
  test('a business customer goes to the business-sales procedure: the instance ends handed over, and business sales gets the prospect', async () => {
    const id = await start({ name: 'Hotel Cochabamba SRL' });
    const task = await inboxTask(stack, executive(), id, 'classifyCustomer');
    expect(task).toMatchObject({ title: 'Classify Hotel Cochabamba SRL (facebook)', assignee: 'digital-sales-executive' });
    await complete('digital-sales-executive', id, 'classifyCustomer', 'business', { notes: '40 habitaciones, pide enlace dedicado.' });
    expect(await ended(id)).toMatchObject({ status: 'completed', outcome: 'business-handover' });
    const [handover] = await mails(id, 'residential-business-handover');
    expect(handover).toMatchObject({ recipient: 'ventas.empresas@comteco.com.bo', payload: { prospectName: 'Hotel Cochabamba SRL', notes: '40 habitaciones, pide enlace dedicado.' } });
  });

  test('no coverage in the zone: an unattended request with the reason, for the digital channels lead', async () => {
    const id = await start();
    await complete('digital-sales-executive', id, 'classifyCustomer', 'residential');
    await complete('digital-sales-executive', id, 'recordCustomer', 'recorded', customer({ zone: 'tiquipaya', requestedSpeedMbps: 50 }));
    expect(await ended(id)).toMatchObject({ status: 'completed', outcome: 'unattended', stage: 'unattended' });
    expect(await unattendedRow(id)).toMatchObject({ reason_code: 'no-coverage', reason: 'zone tiquipaya reaches at most 20 Mbps; 50 Mbps were asked for', owner: 'digital-sales-executive' });
  });

  test('no capacity: the help desk denies it with its diagnosis', async () => {
    const id = await start();
    await complete('digital-sales-executive', id, 'classifyCustomer', 'residential');
    await complete('digital-sales-executive', id, 'recordCustomer', 'recorded', customer());
    const check = await inboxTask(stack, callers['help-desk'], id, 'checkCapacity');
    expect(check).toMatchObject({ title: 'Capacity for 50 Mbps at Av. Blanco Galindo km 13 (quillacollo)', dueAt: expect.any(String) });
    await complete('help-desk', id, 'checkCapacity', 'denied', { diagnosis: 'Nodo Quillacollo saturado.' });
    expect(await ended(id)).toMatchObject({ outcome: 'unattended' });
    expect(await unattendedRow(id)).toMatchObject({ reason_code: 'no-capacity', reason: 'Nodo Quillacollo saturado.' });
  });

  test("the help desk may answer by an outside participant's link: an operator sends it, the agent confirms capacity on its page", async () => {
    const id = await start();
    await complete('digital-sales-executive', id, 'classifyCustomer', 'residential');
    await complete('digital-sales-executive', id, 'recordCustomer', 'recorded', customer());
    const check = await inboxTask(stack, callers['help-desk'], id, 'checkCapacity');
    const sent = await stack.request('POST', `/api/tasks/${check.id}/links`, callers.admin.token, { email: 'mesa.ayuda@comteco.com.bo' });
    expect(sent.status).toBe(201);
    const [mail] = await mails(id, 'task-link');
    expect(mail.recipient).toBe('mesa.ayuda@comteco.com.bo');
    const token = (mail.payload.linkUrl as string).split('#')[1];
    const page = await stack.request('GET', `/api/public/task-links/${token}`);
    expect(page.body.outcomes.map((o: any) => o.name)).toEqual(['confirmed', 'denied']);
    const answered = await stack.request('POST', `/api/public/task-links/${token}/complete`, undefined, { outcome: 'confirmed', data: { diagnosis: 'Nodo Quillacollo con capacidad.' } });
    expect(answered).toMatchObject({ status: 200, body: { completed: true, outcome: 'confirmed' } });
    await inboxTask(stack, executive(), id, 'negotiateOffer');
    expect((await detail(id)).variables.capacity).toMatchObject({ outcome: 'confirmed', completedBy: 'mesa.ayuda@comteco.com.bo' });
  });

  test('offer refused: unattended, with the reason the customer gave', async () => {
    const id = await toOffer();
    await complete('digital-sales-executive', id, 'negotiateOffer', 'refused', { refusalReason: 'Precio alto' });
    expect(await ended(id)).toMatchObject({ outcome: 'unattended' });
    expect(await unattendedRow(id)).toMatchObject({ reason_code: 'offer-refused', reason: 'offer refused: Precio alto' });
  });

  test('a plan the zone cannot take goes back to the offer, saying why; the sale states are recorded in order', async () => {
    const id = await toOffer();
    const offer = await inboxTask(stack, executive(), id, 'negotiateOffer');
    expect(offer.title).toBe(`Agree the plan with Cliente ${seq} (fiber up to 100 Mbps)`);
    await complete('digital-sales-executive', id, 'negotiateOffer', 'accepted', { planCode: 'hogar-fibra-300' });
    const again = await eventually(() => inboxTask(stack, executive(), id, 'negotiateOffer'), (t) => t.id !== offer.id, 'negotiateOffer again');
    expect(again.title).toBe(`Plan hogar-fibra-300 cannot be offered (plan hogar-fibra-300 needs 300 Mbps over fiber; zone quillacollo reaches 100): agree another plan with Cliente ${seq}`);
    // The service-contract request is printed once a plan is accepted.
    const contract = () => fetch(`${stack.baseUrl}/api/residential-sales/${id}/contract-request`, { headers: { authorization: `Bearer ${executive().token}` } });
    const early = await contract();
    expect({ status: early.status, code: ((await early.json()) as { error: { code: string } }).error.code }).toEqual({ status: 409, code: 'no_accepted_offer' });
    await complete('digital-sales-executive', id, 'negotiateOffer', 'accepted', { planCode: 'hogar-fibra-100' });
    await inboxTask(stack, executive(), id, 'collectRequirements');
    const pdf = await contract();
    expect({ status: pdf.status, type: pdf.headers.get('content-type') }).toEqual({ status: 200, type: expect.stringContaining('application/pdf') });
    const text = pdfText(Buffer.from(await pdf.arrayBuffer()));
    for (const expected of ['Solicitud de contrato de servicio', `Nombre: Cliente ${seq}`, 'Plan: Hogar Fibra 100 (fiber, 100 Mbps)', 'Tarifa mensual: Bs 279.00', 'Av. Blanco Galindo km 13 (quillacollo)']) {
      expect(text).toContain(expected);
    }
    // Someone who cannot see the sale gets 404, as for a sale that does not exist.
    await stack.addUser('nadie', []);
    const hidden = await fetch(`${stack.baseUrl}/api/residential-sales/${id}/contract-request`, { headers: { authorization: `Bearer ${await stack.login('nadie')}` } });
    expect(hidden.status).toBe(404);
    expect((await detail(id)).stageHistory.map((s: any) => [s.stage, s.actor ?? null])).toEqual([
      ['visited', expect.any(String)], ['informed', expect.any(String)], ['pre-sale', expect.any(String)],
    ]);
  });

  test('prepaid by transfer: a deposit that does not match goes back to the executive; once confirmed, the cashier hands the invoice over', async () => {
    const id = await toPaymentMode();
    const mode = await inboxTask(stack, executive(), id, 'choosePaymentMode');
    expect(mode.title).toBe(`Payment mode of Cliente ${seq}: Hogar Fibra 100, BOB 279.00 a month`);
    await choosePayment(id, 'prepaidTransfer');
    const receipt = async (amount: number) => ({
      receipt: (await uploadDocument(stack.baseUrl, executive().token, pdfBytes(`comprobante ${amount}`), { kind: 'transfer-receipt', filename: 'comprobante.pdf' })).body.id,
      depositNumber: 'DEP-88123', amount, depositedOn: '2026-11-30', operationType: 'transfer', depositor: `Cliente ${seq}`,
    });
    await complete('digital-sales-executive', id, 'submitTransferReceipt', 'sent', await receipt(270));
    // No statement has this deposit yet: collections checks the bank accounts itself.
    const validation = await inboxTask(stack, callers.collections, id, 'validateDeposit');
    expect(validation.title).toBe(`Validate the deposit DEP-88123 of Cliente ${seq}: BOB 270.00 (no line of deposit DEP-88123 in the imported statements yet)`);
    await complete('collections', id, 'validateDeposit', 'mismatched', { mismatch: 'El extracto muestra Bs 270,00; el plan es Bs 279,00.' });
    const [mismatch] = await mails(id, 'residential-deposit-mismatch');
    expect(mismatch).toMatchObject({ recipient: example.executive.email, payload: { mismatch: 'El extracto muestra Bs 270,00; el plan es Bs 279,00.' } });
    const resend = await inboxTask(stack, executive(), id, 'submitTransferReceipt');
    expect(resend.title).toBe(`The deposit of Cliente ${seq} did not match (El extracto muestra Bs 270,00; el plan es Bs 279,00.): send the right receipt`);

    await complete('digital-sales-executive', id, 'submitTransferReceipt', 'sent', await receipt(279));
    await complete('collections', id, 'validateDeposit', 'confirmed');
    const handOver = await inboxTask(stack, callers.cashier, id, 'handOverInvoice');
    const invoice = await stack.db('invoices').where({ instance_id: id }).first();
    expect(invoice).toMatchObject({ amount: '279.00', currency: 'BOB', channel: 'Ventas digitales', customer_name: `Cliente ${seq}`, seller_name: example.executive.name });
    expect(handOver.title).toBe(`Print invoice ${invoice.number} of Cliente ${seq} and hand it over`);
    const cashierMails = await mails(id, 'residential-invoice-to-cashier');
    expect(cashierMails.map((m) => m.recipient).sort()).toEqual(['cajas@comteco.com.bo', 'canales.digitales@comteco.com.bo']);
    // The cashier prints it from its PDF.
    const pdf = await fetch(`${stack.baseUrl}/api/invoices/${invoice.id}/pdf`, { headers: { authorization: `Bearer ${callers.cashier.token}` } });
    expect({ status: pdf.status, type: pdf.headers.get('content-type') }).toEqual({ status: 200, type: expect.stringContaining('application/pdf') });

    await complete('cashier', id, 'handOverInvoice', 'delivered');
    const done = await ended(id);
    expect(done).toMatchObject({ status: 'completed', outcome: 'sold', stage: 'attended' });
    expect(done.stageHistory.map((s: any) => s.stage)).toEqual(['visited', 'informed', 'pre-sale', 'sale', 'attended']);
  });

  test('prepaid on the web: the payment arrives as an event, collections confirms it and the invoice is e-mailed to the customer', async () => {
    const id = await toPaymentMode();
    await choosePayment(id, 'prepaidWeb');
    await eventually(() => detail(id), (d) => d.currentSteps?.includes('awaitWebPayment'), 'the wait for the web payment');
    const sent = await stack.request('POST', `/api/processes/${id}/events/webPayment`, callers.admin.token, { eventId: `web-${id}`, payload: { reference: 'WEB-5521', amount: 279 } });
    expect(sent.status).toBe(202);
    const confirm = await inboxTask(stack, callers.collections, id, 'confirmWebPayment');
    expect(confirm.title).toBe(`Confirm the web payment WEB-5521 of Cliente ${seq}: BOB 279.00`);
    await complete('collections', id, 'confirmWebPayment', 'confirmed');
    expect(await ended(id)).toMatchObject({ outcome: 'sold' });
    const [confirmed] = await mails(id, 'residential-payment-confirmed');
    expect(confirmed).toMatchObject({ recipient: 'canales.digitales@comteco.com.bo', payload: { reference: 'WEB-5521', confirmedBy: 'collections' } });
    const [mail] = await mails(id, 'residential-invoice-issued');
    const invoice = await stack.db('invoices').where({ instance_id: id }).first();
    expect(mail).toMatchObject({ recipient: `cliente${seq}@gmail.com`, payload: { invoiceNumber: invoice.number, plan: 'Hogar Fibra 100' }, attachments: [{ invoicePdf: invoice.id }] });
  });

  test('postpaid: monthly billing starts in BOB on La Paz time, and the billing division hears of it', async () => {
    const id = await toPaymentMode();
    await choosePayment(id, 'postpaid');
    expect(await ended(id)).toMatchObject({ outcome: 'sold' });
    const subscription = await stack.db('subscriptions').where({ instance_id: id }).first();
    expect(subscription).toMatchObject({
      account_id: null, customer_name: `Cliente ${seq}`, product: 'Hogar Fibra 100', base_price: '279.00', currency: 'BOB',
      billing_zone: 'America/La_Paz', periodicity: 'monthly', status: 'active', channel: 'Ventas digitales',
    });
    expect((await detail(id)).variables.entry).toMatchObject({ outcome: 'entered', data: { smartflexRequest: `SF-${seq}` } });
    const [billing] = await mails(id, 'residential-postpaid-started');
    expect(billing).toMatchObject({ recipient: 'facturacion@comteco.com.bo', payload: { subscriptionId: subscription.id } });
    // Postpaid: nothing is invoiced at the sale; the first invoice is the month's renewal.
    expect(await stack.db('invoices').where({ instance_id: id })).toEqual([]);
  });
});

describe('transfers matched against the bank statements', () => {
  const importStatement = (csv: string, as: Caller = callers.collections) =>
    stack.request('POST', '/api/bank-statements?filename=extracto-nov.csv', as.token, undefined, { raw: csv, headers: { 'content-type': 'text/csv' } });
  const HEADER = 'date,amount,deposit_number,operation_type,depositor\n';

  test('a statement with bad lines is refused line by line and imports nothing; imported again, its lines are not added twice', async () => {
    const statements = async () => Number((await stack.db('bank_statements').count<{ count: string }[]>('* as count'))[0].count);
    const before = await statements();
    const bad = await importStatement(`${HEADER}2026-11-30,279.00,DEP-1,transfer,Ana\n2026-11-31,279,DEP-2,transfer,Ana\n2026-11-30,279.00,DEP-1,transfer,Ana\n`);
    expectError(bad, 422, 'invalid_statement_rows');
    expect(bad.body.error.details).toEqual([
      expect.objectContaining({ path: 'line 3', message: 'date: must be a day written YYYY-MM-DD (got "2026-11-31")' }),
      expect.objectContaining({ path: 'line 4', message: 'deposit DEP-1 of 2026-11-30 already appears on line 2' }),
    ]);
    expect(await stack.db('bank_statement_lines').where({ deposit_number: 'DEP-1' })).toEqual([]);
    expect(await statements()).toBe(before);

    const good = `${HEADER}2026-11-28,150.00,DEP-10,deposit,Luis Vargas\n2026-11-28,99.90,DEP-11,qr,Rosa Flores\n`;
    expect(await importStatement(good)).toMatchObject({ status: 201, body: { lines: 2, duplicates: 0 } });
    expect(await importStatement(good)).toMatchObject({ status: 201, body: { lines: 2, duplicates: 2 } });
    expect(await stack.db('bank_statement_lines').whereIn('deposit_number', ['DEP-10', 'DEP-11'])).toHaveLength(2);
    expectError(await importStatement(good, executive()), 403);
  });

  test('a receipt the statement contradicts goes back to the executive saying what differs; the right one is confirmed with no collections task', async () => {
    const id = await toPaymentMode();
    const depositor = `Cliente ${seq}`;
    expect((await importStatement(`${HEADER}2026-11-30,279.00,DEP-77001,transfer,${depositor.toUpperCase()}\n`)).status).toBe(201);
    await choosePayment(id, 'prepaidTransfer');
    const receipt = async (amount: number) => ({
      receipt: (await uploadDocument(stack.baseUrl, executive().token, pdfBytes(`comprobante 77001 ${amount}`), { kind: 'transfer-receipt', filename: 'comprobante.pdf' })).body.id,
      depositNumber: 'DEP-77001', amount, depositedOn: '2026-11-30', operationType: 'transfer', depositor,
    });
    await complete('digital-sales-executive', id, 'submitTransferReceipt', 'sent', await receipt(270));
    const resend = await eventually(() => inboxTask(stack, executive(), id, 'submitTransferReceipt'), (t) => /did not match/.test(t.title), 'the receipt sent back');
    expect(resend.title).toBe(`The deposit of ${depositor} did not match (amount: the statement says BOB 279.00, the receipt BOB 270.00): send the right receipt`);
    const [mail] = await mails(id, 'residential-deposit-mismatch');
    expect(mail.payload.mismatch).toBe('amount: the statement says BOB 279.00, the receipt BOB 270.00');

    await complete('digital-sales-executive', id, 'submitTransferReceipt', 'sent', await receipt(279));
    await inboxTask(stack, callers.cashier, id, 'handOverInvoice');
    expect(await stack.db('tasks').where({ instance_id: id, step_id: 'validateDeposit' })).toEqual([]);
    const line = await stack.db('bank_statement_lines').where({ deposit_number: 'DEP-77001' }).first();
    expect(await stack.db('deposit_claims').where({ deposit_number: 'DEP-77001' }).first()).toMatchObject({ instance_id: id, line_id: line.id, confirmed_by: 'statement' });

    // Another sale with the same deposit is never auto-matched: collections decides.
    const other = await toPaymentMode();
    await choosePayment(other, 'prepaidTransfer');
    await complete('digital-sales-executive', other, 'submitTransferReceipt', 'sent', await receipt(279));
    const check = await inboxTask(stack, callers.collections, other, 'validateDeposit');
    expect(check.title).toContain(`(deposit DEP-77001 already confirmed sale ${id})`);
  });

  test('collections waits for the statement: once imported, matching again confirms the deposit', async () => {
    const id = await toPaymentMode();
    await choosePayment(id, 'prepaidTransfer');
    const receipt = { depositNumber: 'DEP-77002', amount: 279, depositedOn: '2026-12-01', operationType: 'qr', depositor: `Cliente ${seq}` };
    const receiptId = (await uploadDocument(stack.baseUrl, executive().token, pdfBytes('comprobante 77002'), { kind: 'transfer-receipt', filename: 'qr.pdf' })).body.id;
    await complete('digital-sales-executive', id, 'submitTransferReceipt', 'sent', { ...receipt, receipt: receiptId });
    const first = await inboxTask(stack, callers.collections, id, 'validateDeposit');
    expect(first.title).toContain('(no line of deposit DEP-77002 in the imported statements yet)');
    await importStatement(`${HEADER}2026-12-01,279.00,DEP-77002,qr,Cliente ${seq}\n`);
    await complete('collections', id, 'validateDeposit', 'recheck');
    await inboxTask(stack, callers.cashier, id, 'handOverInvoice');
    expect(await stack.db('deposit_claims').where({ deposit_number: 'DEP-77002' }).first()).toMatchObject({ instance_id: id, confirmed_by: 'statement' });
  });

  test('a deposit collections confirmed by hand pays for one sale only: a later sale with the same deposit is never auto-matched, nor confirmed again', async () => {
    const receiptFor = async (who: string) => ({
      receipt: (await uploadDocument(stack.baseUrl, executive().token, pdfBytes(`comprobante 77003 ${who}`), { kind: 'transfer-receipt', filename: 'c.pdf' })).body.id,
      depositNumber: 'DEP-77003', amount: 279, depositedOn: '2026-12-02', operationType: 'transfer', depositor: 'Marco Antezana',
    });
    const first = await toPaymentMode();
    await choosePayment(first, 'prepaidTransfer');
    await complete('digital-sales-executive', first, 'submitTransferReceipt', 'sent', await receiptFor('a'));
    // No statement yet: collections confirms it from the bank's site.
    await complete('collections', first, 'validateDeposit', 'confirmed');
    await inboxTask(stack, callers.cashier, first, 'handOverInvoice');
    expect(await stack.db('deposit_claims').where({ deposit_number: 'DEP-77003' }).first()).toMatchObject({ instance_id: first, line_id: null, confirmed_by: 'collections' });

    // The statement arrives, and a second sale quotes the same deposit: collections is asked, and told why.
    await stack.request('POST', '/api/bank-statements', callers.collections.token, undefined, {
      raw: 'date,amount,deposit_number,operation_type,depositor\n2026-12-02,279.00,DEP-77003,transfer,Marco Antezana\n', headers: { 'content-type': 'text/csv' },
    });
    const second = await toPaymentMode();
    await choosePayment(second, 'prepaidTransfer');
    await complete('digital-sales-executive', second, 'submitTransferReceipt', 'sent', await receiptFor('b'));
    const check = await inboxTask(stack, callers.collections, second, 'validateDeposit');
    expect(check.title).toContain(`(deposit DEP-77003 already confirmed sale ${first})`);
    // Confirmed by hand anyway: the claim refuses it, and the task comes back saying so.
    await complete('collections', second, 'validateDeposit', 'confirmed');
    const again = await eventually(() => inboxTask(stack, callers.collections, second, 'validateDeposit'), (t) => t.id !== check.id, 'validateDeposit again');
    expect(again.title).toContain(`(deposit DEP-77003 already confirmed sale ${first})`);
    expect(await stack.db('invoices').where({ instance_id: second })).toEqual([]);
  });
});

describe('unattended requests', () => {
  const lead = () => callers['digital-channels-lead'];

  test('the report lists each with its reason, age and owner, oldest first, to the leads only', async () => {
    const id = await toOffer();
    await complete('digital-sales-executive', id, 'negotiateOffer', 'refused', { refusalReason: 'Se muda de ciudad' });
    await ended(id);
    const report = await stack.request('GET', '/api/reports/unattended-requests', lead().token);
    expect(report.status).toBe(200);
    const mine = report.body.items.find((r: any) => r.processId === id);
    expect(mine).toEqual({
      processId: id, businessKey: expect.stringMatching(/^residential-/), reasonCode: 'offer-refused', reason: 'offer refused: Se muda de ciudad',
      customerName: `Cliente ${seq}`, phone: '+591 70712345', owner: 'digital-sales-executive', createdAt: expect.any(String), ageDays: 0, reenteredAs: null,
    });
    const times = report.body.items.map((r: any) => Date.parse(r.createdAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(report.body.total).toBe(report.body.items.length);
    expectError(await stack.request('GET', '/api/reports/unattended-requests', executive().token), 403);
  });

  test("a sale an operator cancels is an unattended request with the operator's reason, and can be re-entered", async () => {
    const id = await start();
    await complete('digital-sales-executive', id, 'classifyCustomer', 'residential');
    await complete('digital-sales-executive', id, 'recordCustomer', 'recorded', customer());
    await inboxTask(stack, callers['help-desk'], id, 'checkCapacity');
    expect((await stack.request('POST', `/api/processes/${id}/cancel`, callers.admin.token, { reason: 'El cliente se mudó' })).status).toBe(202);
    expect(await ended(id)).toMatchObject({ status: 'cancelled' });
    expect(await unattendedRow(id)).toMatchObject({ reason_code: 'cancelled', reason: 'cancelled by admin: El cliente se mudó', customer_name: `Cliente ${seq}`, owner: 'digital-sales-executive' });
    const again = await stack.request('POST', `/api/residential-sales/${id}/reentry`, lead().token);
    expect(again).toMatchObject({ status: 201, body: { reentryOf: id } });
    await inboxTask(stack, executive(), again.body.id, 'classifyCustomer');
  });

  describe('cauce report unattended-requests', () => {
    useCliEnvironment(() => ({ CAUCE_TOKEN: lead().token }));

    test('prints them with their reason and owner', async () => {
      const id = await toOffer();
      await complete('digital-sales-executive', id, 'negotiateOffer', 'refused', { refusalReason: 'Ya tiene otro proveedor' });
      await ended(id);
      const run = await runCli(stack.baseUrl, 'report', 'unattended-requests', '--open');
      expect(run).toMatchObject({ code: 0, err: '' });
      expect(run.out).toMatch(/^\d+ unattended request\(s\)/);
      expect(run.out).toMatch(new RegExp(`Cliente ${seq}\\s+offer-refused\\s+offer refused: Ya tiene otro proveedor\\s+digital-sales-executive\\s+${id}`));
    });
  });

  test('a re-entry starts a new sale under the same business key, linked and carrying the customer data; the request is then taken', async () => {
    const old = await start();
    await complete('digital-sales-executive', old, 'classifyCustomer', 'residential');
    await complete('digital-sales-executive', old, 'recordCustomer', 'recorded', customer({ zone: 'vinto-sur' }));
    await ended(old);
    const before = await detail(old);

    const res = await stack.request('POST', `/api/residential-sales/${old}/reentry`, lead().token);
    expect(res).toMatchObject({ status: 201, body: { reentryOf: old, businessKey: before.businessKey, definitionId: 'residential-sale' } });
    const id = res.body.id as string;
    expect(id).not.toBe(old);
    const classify = await inboxTask(stack, executive(), id, 'classifyCustomer');
    expect(classify.assignee).toBe('digital-sales-executive');
    const now = await detail(id);
    expect(now.variables).toMatchObject({ reentryOf: old, prospect: before.variables.prospect, customer: { data: before.variables.customer.data } });
    expect(now.variables.reentry).toMatchObject({ marked: true, reenteredAs: id, reasonCode: 'no-coverage' });
    expect((await unattendedRow(old)).reentered_as).toBe(id);

    const open = await stack.request('GET', '/api/reports/unattended-requests?open=true', lead().token);
    expect(open.body.items.map((r: any) => r.processId)).not.toContain(old);
    expectError(await stack.request('POST', `/api/residential-sales/${old}/reentry`, lead().token), 409, 'already_reentered');
    expectError(await stack.request('POST', `/api/residential-sales/${id}/reentry`, lead().token), 404);
    expectError(await stack.request('POST', `/api/residential-sales/${old}/reentry`, executive().token), 403);
  });
});

describe('the public intake', () => {
  let address = 0;
  const from = () => `203.0.113.${++address}`;
  const submit = (body: Record<string, unknown>, ip: string) => stack.request('POST', '/api/public/prospects', undefined, body, { headers: { 'x-forwarded-for': ip } });
  const prospect = { name: 'Lucía Mamani', phone: '+591 711-00001', email: 'lucia.mamani@gmail.com', channel: 'chatbot', message: 'Internet para estudiar' };
  const salesOf = (businessKey: string) => stack.db('process_instances').where({ definition_id: 'residential-sale', business_key: businessKey });

  test('a prospect starts a sale with no login; any executive takes it, and the one who classifies it works the sale', async () => {
    const res = await submit(prospect, from());
    expect(res).toMatchObject({ status: 202, body: { received: true } });
    const [sale] = await eventually(() => salesOf('prospect-59171100001'), (rows) => rows.length === 1, 'the sale');
    expect(sale).toMatchObject({ started_by: 'intake:chatbot' });
    const classify = await inboxTask(stack, executive(), sale.id, 'classifyCustomer');
    expect(classify).toMatchObject({ assignee: null, candidateRoles: ['digital-sales-executive'], title: 'Classify Lucía Mamani (chatbot)' });
    await stack.addUser('rodrigo', ['digital-sales-executive']);
    const rodrigo = { username: 'rodrigo', token: await stack.login('rodrigo') };
    await completeInboxTask(stack, rodrigo, sale.id, 'classifyCustomer', 'residential');
    expect(await inboxTask(stack, rodrigo, sale.id, 'recordCustomer')).toMatchObject({ assignee: 'rodrigo' });
    expect((await detail(sale.id)).variables.prospect).toEqual(prospect);

    // The same phone again, written another way: the same answer, and still one sale.
    expect(await submit({ ...prospect, phone: '591 71100001', message: '¿Me llaman?' }, from())).toMatchObject({ status: 202, body: { received: true } });
    expect(await salesOf('prospect-59171100001')).toHaveLength(1);
  });

  test('the honeypot field answers as usual and starts nothing; a body that does not match is 400, a phone without enough digits 422', async () => {
    expect(await submit({ ...prospect, phone: '+591 711-00002', website: 'http://spam.example' }, from())).toMatchObject({ status: 202, body: { received: true } });
    expect(await salesOf('prospect-59171100002')).toEqual([]);
    expectError(await submit({ name: 'Sin teléfono', channel: 'web' }, from()), 400, 'invalid_request');
    expectError(await submit({ ...prospect, channel: 'fax' }, from()), 400, 'invalid_request');
    const bad = await submit({ ...prospect, phone: 'llamar a Lucía' }, from());
    expectError(bad, 422, 'invalid_phone');
    expect(bad.body.error.details).toEqual([expect.objectContaining({ path: '/phone' })]);
  });

  test('an address gets 6 submissions an hour, then 429 with Retry-After', async () => {
    const ip = from();
    for (let i = 0; i < 6; i++) expect((await submit({ ...prospect, phone: `+591 722-0000${i}` }, ip)).status).toBe(202);
    const refused = await submit({ ...prospect, phone: '+591 722-00009' }, ip);
    expectError(refused, 429, 'too_many_submissions');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await salesOf('prospect-59172200009')).toEqual([]);
    // Another address is not affected.
    expect((await submit({ ...prospect, phone: '+591 722-00009' }, from())).status).toBe(202);
  });
});
