/**
 * Seed 001's client portal in a real browser (Debian's Chromium through playwright-core) against Cauce
 * started as a user starts it (`npm start`): a salesperson sends an estimate through the API, the client
 * opens the link from the e-mail the local SMTP sink received, with no login, and accepts it; converted,
 * the client sets a portal password, signs in to the portal, finds the invoice and asks support; a link to a version
 * revised since says so and offers nothing.
 */
import type { Browser } from 'playwright-core';
import { completeInboxTask, requestJson } from '../support/api';
import { eventually } from '../support/eventually';
import { cspViolations, laptopPage, launchChromium, screenshot } from './support/browser';
import { mailTo } from './support/mail';
import { appRequester, callerFor, signIn, tokenFor } from './support/sign-in';
import { startAppAsUser, type StartedApp } from './support/started-app';

jest.setTimeout(300_000);

let app: StartedApp;
let browser: Browser;
let sales: string;
let admin: string;

const api = <T = any>(method: string, p: string, token: string, body?: unknown) => requestJson<T>(app.baseUrl, method, p, token, body);

beforeAll(async () => {
  browser = await launchChromium();
  app = await startAppAsUser();
  [sales, admin] = await Promise.all([tokenFor(app, 'sales'), tokenFor(app, 'admin')]);
}, 300_000);

afterEach(() => {
  expect(cspViolations.splice(0)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Starts a lead's process for `email`, then creates and sends it an estimate; the lead's process id and the token of the link the client received. */
async function sendEstimate(email: string, quantity = 1): Promise<{ id: string; processId: string; token: string }> {
  const customer = { name: 'Distribuidora Andina S.A.S.', email };
  const lead = await api('POST', '/api/processes', sales, { definitionId: 'lead-to-customer', businessKey: email, variables: { contact: customer } });
  expect(lead.status).toBe(201);
  const created = await api('POST', '/api/estimates', sales, { processId: lead.body.id, customer, currency: 'COP', lines: [{ itemCode: 'kontaly-pro', quantity, discountBp: 500 }, { itemCode: 'implementacion', quantity: 1 }] });
  expect(created.status).toBe(201);
  expect((await api('POST', `/api/estimates/${created.body.id}/send`, sales, {})).status).toBe(200);
  const message = await mailTo(app, admin, email, 'Tu cotización de Kontaly');
  return { id: created.body.id, processId: lead.body.id, token: /\/portal\/estimate#([A-Za-z0-9_-]{43})/.exec(message.text)![1] };
}

test("the client opens the estimate from the e-mail, with no login, and accepts it: the lead is won with no staff action; the used link then says so", async () => {
  const email = `compras${Date.now()}@andina.co`;
  const { id, processId, token } = await sendEstimate(email);
  const page = await laptopPage(browser, app.baseUrl);
  await page.goto(`/portal/estimate#${token}`);
  await page.getByRole('heading', { name: 'Estimate for Distribuidora Andina S.A.S. (version 1)' }).waitFor();
  // 4,990,000 − 5 % = 4,740,500 + 19 % = 5,641,195; 1,500,000 + 19 % = 1,785,000; in COP with centavos.
  await page.getByRole('row', { name: /^Total/ }).getByText('COP 74.261,95').waitFor();
  await expect(page.getByRole('link', { name: 'Inbox' }).count()).resolves.toBe(0);
  const pdf = await page.request.get(await page.getByRole('link', { name: 'The estimate as a PDF' }).getAttribute('href').then((h) => `${app.baseUrl}${h}`));
  expect({ status: pdf.status(), type: pdf.headers()['content-type'] }).toEqual({ status: 200, type: expect.stringContaining('application/pdf') });
  await screenshot(page, '24-portal-estimate');
  await page.getByRole('button', { name: 'Accept the estimate' }).click();
  await page.getByRole('status').getByText('You accepted this estimate').waitFor();
  expect((await api('GET', `/api/estimates/${id}`, sales)).body.status).toBe('accepted');
  await eventually(() => api('GET', `/api/processes/${processId}`, sales), (r) => r.body.stage === 'won', 'the lead won', 60_000);
  await page.reload();
  await page.getByRole('alert').getByText('This estimate was already answered through this link.').waitFor();

  // The salesperson converts the lead; the client sets the portal password from the welcome e-mail.
  await completeInboxTask(appRequester(app), await callerFor(app, 'sales'), processId, 'convertToCustomer', 'converted');
  await eventually(() => api('GET', `/api/processes/${processId}`, sales), (r) => r.body.stage === 'customer', 'the customer converted', 60_000);
  const welcome = await mailTo(app, admin, email, 'Bienvenido a Kontaly');
  await page.goto(`/portal/password#${/\/portal\/password#([A-Za-z0-9_-]{43})/.exec(welcome.text)![1]}`);
  await page.getByRole('heading', { name: 'Set your portal password' }).waitFor();
  await page.getByLabel('New password (at least 10 characters)').fill('una clave bien larga');
  await page.getByLabel('The same password again').fill('una clave distinta');
  await page.getByText('The two passwords differ.').waitFor();
  await expect(page.getByRole('button', { name: 'Set my password' }).isDisabled()).resolves.toBe(true);
  await page.getByLabel('The same password again').fill('una clave bien larga');
  await page.getByRole('button', { name: 'Set my password' }).click();
  await page.getByRole('status').getByText(`Your portal is active. You sign in with ${email}`).waitFor();
  await screenshot(page, '25-portal-password');
  // The link works once.
  await page.reload();
  await page.getByLabel('New password (at least 10 characters)').fill('otra clave bien larga');
  await page.getByLabel('The same password again').fill('otra clave bien larga');
  await page.getByRole('button', { name: 'Set my password' }).click();
  await page.getByRole('alert').getByText('This link does not work any more').waitFor();

  // Billing issues the invoice; the customer signs in to the portal and finds it there, with its PDF.
  await completeInboxTask(appRequester(app), await callerFor(app, 'billing'), processId, 'reviewInvoice', 'issue');
  const sent = await eventually(() => api('GET', `/api/processes/${processId}`, sales), (r) => r.body.currentSteps?.includes('awaitPayment'), 'the invoice sent', 60_000);
  const { number } = sent.body.variables.invoice;
  await page.goto('/portal');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('una clave equivocada');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').getByText('Invalid e-mail or password').waitFor();
  await page.getByLabel('Password').fill('una clave bien larga');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Your invoices' }).waitFor();
  const row = page.getByRole('row', { name: new RegExp(`N° ${number}`) });
  await row.getByText('COP 74.261,95').waitFor();
  await row.getByText('Sent').waitFor();
  // No payment gateway has keys in `npm start`: no page to pay on.
  await expect(row.getByRole('link', { name: 'Pay online' }).count()).resolves.toBe(0);
  const download = page.waitForEvent('download');
  await row.getByRole('button', { name: 'PDF' }).click();
  expect((await download).suggestedFilename()).toBe(`factura-${number}.pdf`);
  // The estimate accepted is kept among the customer's documents.
  const documents = page.getByRole('region', { name: 'Your documents' });
  await documents.getByText('Estimate, version 1: COP 74.261,95').waitFor();
  const estimatePdf = page.waitForEvent('download');
  await documents.getByRole('button', { name: 'PDF' }).click();
  expect((await estimatePdf).suggestedFilename()).toBe('cotizacion-v1.pdf');
  await screenshot(page, '26-portal-invoices');

  // Support: the customer opens a request, support answers from the inbox, the customer reads it and replies.
  await page.getByLabel('Subject').fill('No puedo emitir facturas');
  await page.getByLabel('What do you need?').fill('El sistema rechaza las facturas con el error DIAN 90.');
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.getByRole('status').getByText('We received your request').waitFor();
  const ticketLink = page.getByRole('button', { name: /: No puedo emitir facturas$/ });
  await ticketLink.waitFor();
  const [ticket] = (await api('GET', '/api/tickets', admin)).body.items.filter((t: { subject: string }) => t.subject === 'No puedo emitir facturas');
  // Support finds it on the Tickets page, reads it beside its task, and answers through the task's form.
  const support = await laptopPage(browser, app.baseUrl);
  await signIn(app, support, 'support', '/tickets');
  await support.getByRole('heading', { name: 'Support tickets' }).waitFor();
  await support.getByRole('link', { name: `N° ${ticket.number}: No puedo emitir facturas` }).click();
  const thread = support.getByRole('article', { name: `Ticket ${ticket.number}` });
  await thread.getByText('El sistema rechaza las facturas con el error DIAN 90.').waitFor();
  await support.getByRole('link', { name: /^Ticket \d+ from .*: No puedo emitir facturas$/ }).click();
  await support.waitForURL(/\/tasks\//);
  await support.getByRole('article', { name: `Ticket ${ticket.number}` }).getByText('El sistema rechaza las facturas con el error DIAN 90.').waitFor();
  await support.getByLabel(/Message to the customer/).fill('Tu certificado venció: te enviamos los pasos.');
  await support.getByRole('radio', { name: /^Reply and wait for the customer/ }).check();
  await support.getByRole('button', { name: 'Complete task' }).click();
  await eventually(() => api('GET', `/api/tickets/${ticket.id}`, admin), (r) => r.body.status === 'waiting-customer', 'support answered', 60_000);
  await screenshot(support, '28-support-ticket');
  await support.context().close();
  await ticketLink.click();
  const conversation = page.getByRole('article', { name: `Ticket ${ticket.number}` });
  await conversation.getByText('Tu certificado venció: te enviamos los pasos.').waitFor();
  await conversation.getByLabel('Your reply').fill('Listo, ya funciona.');
  await conversation.getByRole('button', { name: 'Send reply' }).click();
  await conversation.getByRole('status').getByText('Your reply was sent to support.').waitFor();
  await eventually(() => api('GET', `/api/tickets/${ticket.id}`, admin), (r) => r.body.status === 'open' && r.body.messages.length === 3, 'the reply recorded', 60_000);
  await screenshot(page, '27-portal-support');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Client portal' }).waitFor();
  await page.context().close();
});


test('a version revised while the client reads it cannot be accepted, and the page says why; opened again, it says so at once', async () => {
  const { id, token } = await sendEstimate(`revisado${Date.now()}@andina.co`);
  const page = await laptopPage(browser, app.baseUrl);
  await page.goto(`/portal/estimate#${token}`);
  await page.getByRole('heading', { name: /^Estimate for Distribuidora Andina/ }).waitFor();
  expect((await api('POST', `/api/estimates/${id}/revisions`, sales, { lines: [{ itemCode: 'kontaly-basico', quantity: 1 }] })).status).toBe(201);
  await page.getByRole('button', { name: 'Accept the estimate' }).click();
  await page.getByRole('alert').getByText('This estimate was revised: a newer version replaces it').waitFor();
  await expect(page.getByRole('button').count()).resolves.toBe(0);
  expect((await api('GET', `/api/estimates/${id}`, sales)).body.status).toBe('superseded');
  await page.reload();
  await page.getByRole('alert').getByText('This estimate was revised: a newer version replaces it').waitFor();
  await page.context().close();
});

test('the client signs the contract on the portal by drawing it: the lead converts, the contract sealed with the drawing', async () => {
  const email = `firma${Date.now()}@andina.co`;
  const { processId, token: estimateToken } = await sendEstimate(email);
  expect((await api('POST', `/api/public/estimates/${estimateToken}/accept`, '')).status).toBe(200);
  await completeInboxTask(appRequester(app), await callerFor(app, 'sales'), processId, 'convertToCustomer', 'contractFirst');
  const message = await mailTo(app, admin, email, 'Firma tu contrato de Kontaly');
  const token = /\/portal\/contract#([A-Za-z0-9_-]{43})/.exec(message.text)![1];

  const page = await laptopPage(browser, app.baseUrl);
  await page.goto(`/portal/contract#${token}`);
  await page.getByRole('heading', { name: 'Contrato de suscripción Kontaly: Distribuidora Andina S.A.S.' }).waitFor();
  await page.getByLabel('Your full name').fill('Laura Restrepo');
  await page.getByLabel('I draw my signature').check();
  const pad = page.getByLabel('Draw your signature here');
  const box = (await pad.boundingBox())!;
  await expect(page.getByRole('button', { name: 'Sign the contract' }).isDisabled()).resolves.toBe(true);
  await page.mouse.move(box.x + 40, box.y + 100);
  await page.mouse.down();
  for (let i = 1; i <= 20; i++) await page.mouse.move(box.x + 40 + i * 15, box.y + 100 - Math.sin(i / 3) * 40, { steps: 2 });
  await page.mouse.up();
  await page.getByLabel('I read the contract and accept it').check();
  await screenshot(page, '28-portal-contract');
  await page.getByRole('button', { name: 'Sign the contract' }).click();
  await page.getByRole('status').getByText('You signed the contract').waitFor();
  await eventually(() => api('GET', `/api/processes/${processId}`, sales), (r) => r.body.stage === 'customer', 'the customer converted', 60_000);
  const contracts = await api('GET', `/api/processes/${processId}`, sales);
  expect(contracts.body.stageHistory.map((h: { stage: string }) => h.stage)).toEqual(expect.arrayContaining(['contract-sent', 'contract-signed', 'customer']));
  await page.reload();
  await page.getByRole('alert').getByText('This contract was already signed through this link.').waitFor();
  await page.context().close();
});

test("the salesperson's leads board: the lead in its stage's column; dragged to a column, its task opens to complete the move; on the lead's page, its notes, and the estimate built, sent and revised", async () => {
  const email = `tablero${Date.now()}@andina.co`;
  const lead = await api('POST', '/api/processes', sales, { definitionId: 'lead-to-customer', businessKey: email, variables: { contact: { name: 'Tablero Andino', email } } });
  expect(lead.status).toBe(201);
  await eventually(() => api('GET', `/api/boards/lead-to-customer/columns/new`, sales), (r) => r.body.items.some((c: { processId: string; moves: unknown[] }) => c.processId === lead.body.id && c.moves.length > 0), 'the card with its moves', 60_000);
  const page = await laptopPage(browser, app.baseUrl);
  await signIn(app, page, 'sales', '/board');
  // @dnd-kit makes a card a button (focusable, draggable from the keyboard too).
  const card = page.getByRole('region', { name: 'Column new' }).getByRole('button', { name: 'Tablero Andino' });
  await card.waitFor();
  await screenshot(page, '29-leads-board');
  const from = (await card.boundingBox())!;
  const to = (await page.getByRole('region', { name: 'Column qualified' }).boundingBox())!;
  await page.mouse.move(from.x + from.width - 20, from.y + from.height - 8);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width, from.y + from.height, { steps: 5 });
  await page.mouse.move(to.x + to.width / 2, to.y + 40, { steps: 15 });
  await page.mouse.up();
  // Qualification asks what the lead needs: its task page opens to complete the move.
  await page.waitForURL(/\/tasks\/[^?]+\?outcome=qualified$/);
  // The lead's page gathers its records beside the timeline: a note; the salesperson builds the estimate there.
  expect((await api('POST', `/api/leads/${encodeURIComponent(lead.body.id)}/notes`, sales, { body: 'Llamar el martes' })).status).toBe(201);
  await page.goto(`/processes/${encodeURIComponent(lead.body.id)}`);
  await page.getByRole('region', { name: 'Notes' }).getByText('Llamar el martes').waitFor();
  const estimates = page.getByRole('region', { name: 'Estimates' });
  await estimates.getByRole('button', { name: 'New estimate' }).click();
  const form = estimates.getByRole('form', { name: 'New estimate' });
  await form.getByRole('group', { name: 'Line 1' }).getByLabel('Item').selectOption('kontaly-basico');
  await form.getByRole('group', { name: 'Line 1' }).getByLabel('Quantity').fill('2');
  await form.getByRole('group', { name: 'Line 1' }).getByLabel('Discount %').fill('10');
  // 2 × 29.900, 10 % off, 19 % IVA: priced as typed, as the API will price it.
  await form.getByRole('definition').getByText('COP 64.045,80').waitFor();
  await screenshot(page, '30-estimate-builder');
  await form.getByRole('button', { name: 'Save as draft' }).click();
  await estimates.getByText('Version 1: COP 64.045,80').waitFor();
  await estimates.getByRole('button', { name: 'Send to the client' }).click();
  await estimates.getByRole('status').getByText(`Sent to ${email}`).waitFor();
  await mailTo(app, admin, email, 'Tu cotización de Kontaly');
  // Revised into version 2 (one more line), which supersedes the version sent.
  await estimates.getByRole('button', { name: 'Revise' }).click();
  const revision = estimates.getByRole('form', { name: 'Version 2 of the estimate' });
  await expect(revision.getByRole('group', { name: 'Line 1' }).getByLabel('Quantity').inputValue()).resolves.toBe('2');
  await revision.getByRole('button', { name: 'Add a line' }).click();
  await revision.getByRole('group', { name: 'Line 2' }).getByLabel('Item').selectOption('implementacion');
  await revision.getByRole('button', { name: 'Save as draft' }).click();
  await estimates.getByText(/^Version 2: /).waitFor();
  const [live] = (await api('GET', `/api/estimates?processId=${encodeURIComponent(lead.body.id)}`, sales)).body.items;
  expect(live).toMatchObject({ version: 2, status: 'draft' });
  expect((await api('GET', `/api/estimates/${live.id}`, sales)).body.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[1, 'superseded'], [2, 'draft']]);
  await page.context().close();
});
