/**
 * Seed 004, steps 4 to 10 through the HTTP API: the consultant asks provisioning for the contract
 * consecutive by e-mail and provisioning types it (unique per system: a taken one comes back to them);
 * the contract documents are uploaded and judged one by one (a rejected one comes back to the
 * consultant), the product content is collected with an image per product; the client approves the product, or asks for changes, through the single-use link they are e-mailed;
 * a change waits for the portfolio (debt) check. Real app, worker, Temporal and Postgres; mail read from
 * the outbox, as the relay would get it.
 */
import { completeInboxTask, eventually, expectError, inboxTask, startApiStack, type ApiStack, type Caller } from '../support/api';
import { contractDocuments, productContent, uploadSink, verdicts, type DocumentSink } from '../support/assisted-sale';
import { pickTemplate, renderTemplate, templateCatalog } from '../../lib/mail/templates';
import { pngBytes, uploadDocument } from '../support/documents';
import { overdueInvoice } from '../support/invoices';

let stack: ApiStack;
const callers: Record<string, Caller> = {};
let example: Record<string, any>;
let seq = 0;

beforeAll(async () => {
  stack = await startApiStack('approval');
  for (const user of ['admin', 'consultant', 'data-mining', 'provisioning', 'commercial-support', 'partner', 'production']) {
    callers[user] = { username: user, token: await stack.login(user) };
  }
  example = (await stack.request('GET', '/api/definitions/assisted-sale', callers.admin.token)).body.definition.variables.examples[0];
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

/** A sale of its own client (tax id and e-mail), so the portfolio and the mail of one test are not another's. */
async function startSale() {
  const n = ++seq;
  const client = { ...example.client, name: `Panadería ${n} S.A.S.`, taxId: `900.555.${String(n).padStart(3, '0')}-1`, email: `gerencia${n}@panaderia.co` };
  const res = await stack.request('POST', '/api/processes', callers.admin.token, { definitionId: 'assisted-sale', businessKey: `approval-${n}`, variables: { ...example, client } });
  expect(res.status).toBe(201);
  return { id: res.body.id as string, client };
}

const complete = (user: string, id: string, step: string, outcome: string, data?: Record<string, unknown>) =>
  completeInboxTask(stack, callers[user], id, step, outcome, data);

const mails = (id: string, template: string) => stack.db('outbox').where({ instance_id: id, template }).orderBy('created_at');

async function mailsOf(id: string, template: string, count = 1) {
  return eventually(() => mails(id, template), (rows) => rows.length >= count, `${count} ${template} e-mail(s) of ${id}`);
}

const variables = async (id: string) => (await stack.request('GET', `/api/processes/${id}`, callers.admin.token)).body.variables;

/** Discovery and verification: the consultant's first tasks, then ONYX / RR (or data mining). */
async function verify(id: string, outcome: 'inOnyx' | 'onlyInRr' | 'notFound') {
  await complete('consultant', id, 'chooseTemplate', 'chosen');
  await complete('consultant', id, 'confirmBusinessType', 'confirmed');
  await complete('consultant', id, 'explainContent', 'explained');
  await complete('consultant', id, 'verifyClient', outcome);
  if (outcome === 'notFound') await complete('data-mining', id, 'createClientInOnyx', 'created');
}

/** Provisioning's task, after the consultant's request e-mail; returns the task as provisioning sees it. */
async function registerContract(id: string, contractNumber: string) {
  const task = await inboxTask(stack, callers.provisioning, id, 'registerContract');
  await complete('provisioning', id, 'registerContract', 'registered', { contractNumber });
  return task;
}

/** The consultant's uploads (POST /api/documents). */
const consultantUploads = (): DocumentSink => uploadSink(stack.baseUrl, callers.consultant.token);

/** Purchase form and product content, documents and their validation, then the partner's product: up to the client's approval. */
async function driveToApproval(id: string) {
  await complete('consultant', id, 'purchaseForm', 'submitted');
  await complete('consultant', id, 'collectContent', 'submitted', await productContent(consultantUploads()));
  await complete('consultant', id, 'collectDocuments', 'sent', await contractDocuments(consultantUploads()));
  await complete('commercial-support', id, 'validateDocuments', 'approve', verdicts({}, 'Completos.'));
  await complete('partner', id, 'produceProduct', 'delivered');
}

/** The client's link, from the latest task-link e-mail to them. */
async function linkOf(id: string, email: string, count = 1) {
  const rows = await eventually(
    () => stack.db('outbox').where({ instance_id: id, template: 'task-link', recipient: email }).orderBy('created_at', 'desc'),
    (r) => r.length >= count,
    `${count} link e-mail(s) to ${email}`,
  );
  return rows[0].payload.linkUrl.split('#')[1] as string;
}

async function answerByLink(id: string, email: string, outcome: string, comments: string, count = 1) {
  const token = await linkOf(id, email, count);
  const page = await stack.request('GET', `/api/public/task-links/${token}`);
  expect(page.status).toBe(200);
  expect(page.body.outcomes).toEqual([{ name: 'approved', label: 'Approve' }, { name: 'changesRequested', label: 'Request changes' }]);
  const done = await stack.request('POST', `/api/public/task-links/${token}/complete`, undefined, { outcome, data: { comments } });
  expect(done).toMatchObject({ status: 200, body: { completed: true, outcome } });
  return token;
}

/** Completing the open task of `step` as `user`, expected to be refused with 422: the problems' paths and messages. */
async function refused(user: string, id: string, step: string, outcome: string, data: Record<string, unknown>) {
  const task = await inboxTask(stack, callers[user], id, step);
  const res = await stack.request('POST', `/api/tasks/${task.id}/complete`, callers[user].token, { outcome, data });
  expectError(res, 422);
  return (res.body.error.details?.problems ?? []) as Array<{ path: string; message: string }>;
}

const contractRow = (id: string) => stack.db('contract_numbers').where({ instance_id: id }).first();
/** The consecutive the sale registered, once the activity after provisioning's task has run. */
const registeredRow = (id: string) => eventually(() => contractRow(id), Boolean, `the contract of ${id}`);

test('in ONYX: the consultant asks provisioning by e-mail, provisioning types the consecutive; the client approves by link, as their e-mail, up to the provisioning call', async () => {
  const { id, client } = await startSale();
  await verify(id, 'inOnyx');
  const [request] = await mailsOf(id, 'contract-number-request');
  expect(request).toMatchObject({ recipient: 'soportemno@claro.com.co', payload: { clientName: client.name, taxId: client.taxId, system: 'ONYX', consultantEmail: example.consultant.email } });
  const task = await inboxTask(stack, callers.provisioning, id, 'registerContract');
  expect(task.title).toBe(`Hand out the contract consecutive for ${client.name} (${client.taxId}) in ONYX`);
  expect(task.dueAt).toEqual(expect.any(String));
  // The form's pattern refuses what is not a consecutive, naming the field.
  const bad = await stack.request('POST', `/api/tasks/${task.id}/complete`, callers.provisioning.token, { outcome: 'registered', data: { contractNumber: '123' } });
  expectError(bad, 422);
  expect(JSON.stringify(bad.body)).toContain('contractNumber');

  await registerContract(id, 'MND-100001');
  expect(await registeredRow(id)).toMatchObject({ number: 'MND-100001', system: 'onyx', client_tax_id: client.taxId, registered_by: 'provisioning', requested_by: 'consultant' });
  await driveToApproval(id);
  expect((await variables(id)).contract).toMatchObject({ registered: true, contractNumber: 'MND-100001', system: 'onyx' });

  // The delivery e-mail no longer sends the client to write to production: a link follows.
  const [delivered] = await mailsOf(id, 'mnd-product-delivered');
  expect(delivered.recipient).toBe(client.email);
  expect(delivered.payload).not.toHaveProperty('approveTo');
  const approval = await inboxTask(stack, callers.production, id, 'clientApproval');
  expect(approval).toMatchObject({ candidateRoles: ['production'], assignee: null });
  const [link] = await mailsOf(id, 'task-link');
  expect(link).toMatchObject({ recipient: client.email, payload: { name: client.contactName } });

  await answerByLink(id, client.email, 'approved', 'Quedó perfecto');
  expect(await stack.db('tasks').where({ id: approval.id }).first()).toMatchObject({ status: 'completed', outcome: 'approved', completed_by: client.email });
  const call = await inboxTask(stack, callers.production, id, 'provisioningCall');
  expect(call.title).toContain(client.contactName);
  expect((await variables(id)).approval).toMatchObject({ outcome: 'approved', completedBy: client.email, data: { comments: 'Quedó perfecto' } });
  // Both addresses the seed sends the approval to hear of it.
  const approved = await mailsOf(id, 'mnd-product-approved', 2);
  expect(approved.map((m) => m.recipient).sort()).toEqual(['misitioweb@micorreoclaro.co', 'produccionmno@claro.com.co']);
  expect(approved[0].payload).toMatchObject({ approvedBy: client.email, comments: 'Quedó perfecto' });
});

test('a consecutive another sale holds in the same system is refused and goes back to provisioning, who types another; the same number in RR is another contract', async () => {
  const first = await startSale();
  await verify(first.id, 'inOnyx');
  await registerContract(first.id, 'MND-200002');
  await inboxTask(stack, callers.consultant, first.id, 'collectDocuments');

  // Only in RR: the contract is keyed in RR, where MND-200002 is still free.
  const rr = await startSale();
  await verify(rr.id, 'onlyInRr');
  expect((await mailsOf(rr.id, 'contract-number-request'))[0].payload.system).toBe('RR');
  const rrTask = await inboxTask(stack, callers.provisioning, rr.id, 'registerContract');
  expect(rrTask.title).toMatch(/ in RR$/);
  await registerContract(rr.id, 'MND-200002');
  expect(await registeredRow(rr.id)).toMatchObject({ number: 'MND-200002', system: 'rr' });
  await inboxTask(stack, callers.consultant, rr.id, 'collectDocuments');

  // In ONYX again: taken. Nothing is written, and provisioning's task comes back naming the clash.
  const clash = await startSale();
  await verify(clash.id, 'inOnyx');
  const firstTask = await registerContract(clash.id, 'MND-200002');
  const again = await eventually(
    () => inboxTask(stack, callers.provisioning, clash.id, 'registerContract'),
    (t) => t.id !== firstTask.id,
    'registerContract opened again',
  );
  expect(again.title).toBe(`Consecutive MND-200002 is already registered in ONYX for ${first.client.name}: hand out another one for ${clash.client.name}`);
  expect((await variables(clash.id)).contract).toMatchObject({ registered: false, contractNumber: 'MND-200002', system: 'onyx', takenBy: { clientName: first.client.name, clientTaxId: first.client.taxId } });
  expect(await contractRow(clash.id)).toBeUndefined();
  expect(await stack.db('contract_numbers').where({ number: 'MND-200002', system: 'onyx' })).toHaveLength(1);

  await complete('provisioning', clash.id, 'registerContract', 'registered', { contractNumber: 'MND-200003' });
  await inboxTask(stack, callers.consultant, clash.id, 'collectDocuments');
  expect(await registeredRow(clash.id)).toMatchObject({ number: 'MND-200003', system: 'onyx' });
  expect((await variables(clash.id)).contract).toMatchObject({ registered: true, contractNumber: 'MND-200003' });
});

test('changes requested with a clear portfolio go back to production, and production hears of them', async () => {
  const { id, client } = await startSale();
  await verify(id, 'onlyInRr');
  await registerContract(id, 'MND-300001');
  await driveToApproval(id);
  await answerByLink(id, client.email, 'changesRequested', 'Cambiar el logo');

  const [changes] = await mailsOf(id, 'mnd-changes-requested');
  expect(changes).toMatchObject({ recipient: 'produccionmno@claro.com.co', payload: { requestedBy: client.email, comments: 'Cambiar el logo' } });
  const rework = await inboxTask(stack, callers.partner, id, 'produceProduct');
  expect(rework.title).toMatch(/^Apply the changes /);
  expect((await variables(id)).portfolio).toMatchObject({ clear: true, overdueInvoices: [], suspendedSubscriptions: [], summary: 'nothing owed' });
  expect(await mails(id, 'mnd-changes-held')).toEqual([]);

  // Delivered again: a new link (the first one was used), and the client approves.
  await complete('partner', id, 'produceProduct', 'delivered');
  await answerByLink(id, client.email, 'approved', 'Ahora sí', 2);
  await inboxTask(stack, callers.production, id, 'provisioningCall');
});

test('not found: data mining creates the client in ONYX; a change with debt is held for production, the client told what is owed, and goes on once paid', async () => {
  const { id, client } = await startSale();
  await verify(id, 'notFound');
  expect((await mailsOf(id, 'onyx-client-creation-request'))[0].recipient).toBe('mineriadedatos@claro.com.co');
  expect((await mailsOf(id, 'contract-number-request'))[0].payload.system).toBe('ONYX');
  await registerContract(id, 'MND-400001');
  expect(await registeredRow(id)).toMatchObject({ system: 'onyx' });
  await driveToApproval(id);

  const invoice = await overdueInvoice(stack.db, client.taxId, client.name);
  await answerByLink(id, client.email, 'changesRequested', 'Más fotos');
  const held = await inboxTask(stack, callers.production, id, 'reviewPortfolio');
  expect(held.title).toBe(`Changes for ${client.name} held by the portfolio check: 1 overdue invoice (COP 89900)`);
  const [told] = await mailsOf(id, 'mnd-changes-held');
  expect(told).toMatchObject({ recipient: client.email, payload: { owed: '1 overdue invoice (COP 89900)' } });
  expect((await variables(id)).portfolio).toMatchObject({ clear: false, overdueInvoices: [expect.objectContaining({ number: invoice.number, amount: 89900, currency: 'COP' })] });

  // "Paid" while it is not: the check runs again and holds it again.
  await complete('production', id, 'reviewPortfolio', 'cleared');
  const stillHeld = await eventually(() => inboxTask(stack, callers.production, id, 'reviewPortfolio'), (t) => t.id !== held.id, 'reviewPortfolio again');
  expect(stillHeld.title).toContain('1 overdue invoice');

  await stack.db('invoices').where({ id: invoice.id }).update({ paid_at: new Date() });
  await complete('production', id, 'reviewPortfolio', 'cleared');
  const rework = await inboxTask(stack, callers.partner, id, 'produceProduct');
  expect(rework.title).toMatch(/^Apply the changes /);
  expect((await variables(id)).portfolio).toMatchObject({ clear: true });
});

test('production declines a held change: the client is told and approves the product as delivered by a new link', async () => {
  const { id, client } = await startSale();
  await verify(id, 'inOnyx');
  await registerContract(id, 'MND-500001');
  await driveToApproval(id);
  await overdueInvoice(stack.db, client.taxId, client.name);
  await answerByLink(id, client.email, 'changesRequested', 'Otro color');
  await complete('production', id, 'reviewPortfolio', 'declined', { reason: 'Cartera en mora' });
  const [declined] = await mailsOf(id, 'mnd-changes-declined');
  expect(declined).toMatchObject({ recipient: client.email, payload: { reason: 'Cartera en mora', owed: '1 overdue invoice (COP 89900)' } });
  await answerByLink(id, client.email, 'approved', 'Así está bien', 2);
  await inboxTask(stack, callers.production, id, 'provisioningCall');
});

test('documents rejected then resubmitted: each document is judged, a rejection goes back to the consultant with its reason, the replaced one is judged again, and the OT carries the accepted files', async () => {
  const { id } = await startSale();
  await verify(id, 'inOnyx');
  await registerContract(id, 'MND-600001');
  await inboxTask(stack, callers.consultant, id, 'collectDocuments');

  // The product content: one JPG per product, and a description of at most 20 words.
  await complete('consultant', id, 'purchaseForm', 'submitted');
  const content = await productContent(consultantUploads());
  const products = content.products as Array<Record<string, unknown>>;
  const wordy = { ...content, products: [{ ...products[0], description: Array(21).fill('pan').join(' ') }, products[1]] };
  expect(await refused('consultant', id, 'collectContent', 'submitted', wordy)).toEqual([
    expect.objectContaining({ path: '/products/0/description', message: expect.stringContaining('at most 20 words') }),
  ]);
  const png = await uploadDocument(stack.baseUrl, callers.consultant.token, pngBytes(8, 1), { filename: 'producto.png' });
  const withPng = { ...content, products: [{ ...products[0], image: png.body.id }, products[1]] };
  expect(await refused('consultant', id, 'collectContent', 'submitted', withPng)).toEqual([expect.objectContaining({ path: '/products/0/image' })]);
  await complete('consultant', id, 'collectContent', 'submitted', content);
  const [purchase] = await mailsOf(id, 'purchase-form-submitted');
  expect(purchase.payload.products.map((p: any) => p.name)).toEqual(products.map((p) => p.name));

  // A PNG is not an annex (PDF only): refused at upload. A missing document, or a certificate older than 30 days, at completion.
  const wrongType = await uploadDocument(stack.baseUrl, callers.consultant.token, pngBytes(8, 2), { kind: 'annex', filename: 'anexo.png' });
  expectError(wrongType, 422, 'wrong_file_type');
  const stale = await contractDocuments(consultantUploads(), { certificateAgeDays: 45 });
  expect(await refused('consultant', id, 'collectDocuments', 'sent', stale)).toEqual([
    expect.objectContaining({ path: '/companyCertificate', message: expect.stringContaining('more than 30d ago') }),
  ]);
  const first = await contractDocuments(consultantUploads());
  const { clauses: _missing, ...withoutClauses } = first;
  expect(await refused('consultant', id, 'collectDocuments', 'sent', withoutClauses)).toEqual([
    expect.objectContaining({ path: '/clauses', message: expect.stringContaining("'clauses' (Clauses (cláusulas)) is required") }),
  ]);
  await complete('consultant', id, 'collectDocuments', 'sent', first);

  // Commercial support cannot approve while a document is rejected, nor reject without a reason.
  const validation = await inboxTask(stack, callers['commercial-support'], id, 'validateDocuments');
  expect(validation.dueAt).toEqual(expect.any(String));
  const reason = 'Certificado de cámara de comercio sin firma';
  expect(await refused('commercial-support', id, 'validateDocuments', 'approve', verdicts({ 'company-certificate': reason }))).toEqual([
    expect.objectContaining({ path: '/verdicts/company-certificate', message: expect.stringContaining("choose 'reject' to send it back") }),
  ]);
  const { verdicts: all } = verdicts() as { verdicts: Record<string, unknown> };
  const { contract: _unjudged, ...partial } = all;
  expect(await refused('commercial-support', id, 'validateDocuments', 'approve', { verdicts: partial })).toEqual([
    expect.objectContaining({ path: '/verdicts/contract', message: expect.stringContaining('has no verdict') }),
  ]);
  await complete('commercial-support', id, 'validateDocuments', 'reject', verdicts({ 'company-certificate': reason, 'id-copy': 'Cédula ilegible' }, 'Dos documentos por corregir.'));

  // The consultant hears which ones and why, and the task comes back to them.
  const [rejected] = await mailsOf(id, 'documents-rejected');
  expect(rejected).toMatchObject({ recipient: example.consultant.email, payload: { contractNumber: 'MND-600001', observations: 'Dos documentos por corregir.' } });
  expect(rejected.payload.rejected).toEqual([{ kind: 'id-copy', reason: 'Cédula ilegible' }, { kind: 'company-certificate', reason }]);
  const text = renderTemplate(pickTemplate(templateCatalog(), 'documents-rejected', rejected.language)!, rejected.payload).text;
  expect(text).toContain(`- id-copy: Cédula ilegible\n- company-certificate: ${reason}\n`);
  const again = await inboxTask(stack, callers.consultant, id, 'collectDocuments');
  expect((await variables(id)).validation).toMatchObject({ outcome: 'reject', data: { verdicts: { 'company-certificate': { verdict: 'rejected', reason } } } });

  // The two are replaced, the three accepted ones sent again as they were; then all are accepted.
  const second = await contractDocuments(consultantUploads(), { previous: first, replace: ['id-copy', 'company-certificate'] });
  expect(second.annex).toBe(first.annex);
  expect(second.companyCertificate).not.toBe(first.companyCertificate);
  await completeInboxTask(stack, callers.consultant, id, 'collectDocuments', 'sent', second);
  expect(again.stepId).toBe('collectDocuments');
  const revalidation = await eventually(() => inboxTask(stack, callers['commercial-support'], id, 'validateDocuments'), (t) => t.id !== validation.id, 'validateDocuments again');
  expect(revalidation.id).not.toBe(validation.id);
  await complete('commercial-support', id, 'validateDocuments', 'approve', verdicts());

  // The OT holds the accepted files (the replacements), attached to this sale, and production gets their names.
  const order = await eventually<any>(() => stack.db('work_orders').where({ instance_id: id }).first(), Boolean, 'the work order');
  const attached = await stack.db('documents').where({ instance_id: id }).whereIn('kind', ['annex', 'contract', 'clauses', 'id-copy', 'company-certificate']);
  const byId = new Map(attached.map((d: any) => [d.id, d]));
  expect(order.documents.map((d: any) => [d.kind, d.documentId])).toEqual([
    ['annex', second.annex], ['contract', second.contract], ['clauses', second.clauses], ['id-copy', second.idCopy], ['company-certificate', second.companyCertificate],
  ]);
  for (const d of order.documents) expect(d).toMatchObject({ filename: (byId.get(d.documentId) as any).filename, contentType: (byId.get(d.documentId) as any).content_type });
  const [toProduction] = await mailsOf(id, 'work-order-to-production');
  expect(toProduction.payload.documents.map((d: any) => d.filename)).toEqual(order.documents.map((d: any) => d.filename));
  expect((await variables(id)).workOrder).toMatchObject({ number: order.number });
  await inboxTask(stack, callers.partner, id, 'produceProduct');
});
