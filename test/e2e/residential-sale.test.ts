/**
 * Seed 002 in a real browser (Debian's Chromium through playwright-core) against Cauce started as a
 * user starts it (`npm start`: the demo users, the demo coverage of Cochabamba). The sale's first steps
 * are worked through the API; then the executive chooses the payment mode and sends the transfer
 * receipt (upload widget) from the task pages, collections confirms the deposit from its inbox, the
 * cashier downloads the invoice's PDF and hands it over, and the digital sales lead reads the billing
 * KPI page.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { completeInboxTask, inboxTask, requestJson, type Caller } from '../support/api';
import { pdfBytes, pngBytes, uploadDocument } from '../support/documents';
import { eventually } from '../support/eventually';
import { cspViolations, laptopPage, launchChromium, screenshot } from './support/browser';
import { appRequester, signIn, tokenFor } from './support/sign-in';
import { startAppAsUser, type StartedApp } from './support/started-app';

jest.setTimeout(300_000);

let app: StartedApp;
let browser: Browser;
let filesDir: string;
const tokens: Record<string, string> = {};

const api = <T = any>(method: string, p: string, token: string, body?: unknown) => requestJson<T>(app.baseUrl, method, p, token, body);

beforeAll(async () => {
  browser = await launchChromium();
  filesDir = mkdtempSync(path.join(os.tmpdir(), 'cauce-e2e-residential-'));
  writeFileSync(path.join(filesDir, 'comprobante.pdf'), pdfBytes('Comprobante de transferencia DEP-55001'));
  app = await startAppAsUser();
  for (const user of ['digital-sales-executive', 'help-desk']) tokens[user] = await tokenFor(app, user);
}, 300_000);

afterEach(() => {
  expect(cspViolations.splice(0)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (filesDir) rmSync(filesDir, { recursive: true, force: true });
});

const callerOf = (user: string): Caller => ({ username: user, token: tokens[user] });
const openTask = (processId: string, stepId: string, user: string) => inboxTask(appRequester(app), callerOf(user), processId, stepId);
const completeThroughApi = (processId: string, stepId: string, user: string, outcome: string, data?: Record<string, unknown>) =>
  completeInboxTask(appRequester(app), callerOf(user), processId, stepId, outcome, data);

test('the executive sends a transfer, collections confirms it, the cashier prints the invoice and hands it over; the KPI page shows the month', async () => {
  const executive = tokens['digital-sales-executive'];
  const sale = (await api('GET', '/api/definitions/residential-sale', executive)).body.definition;
  const started = await api('POST', '/api/processes', executive, { definitionId: 'residential-sale', businessKey: 'e2e-residential-1', variables: sale.variables.examples[0] });
  expect(started.status).toBe(201);
  const id: string = started.body.id;
  await completeThroughApi(id, 'classifyCustomer', 'digital-sales-executive', 'residential');
  await completeThroughApi(id, 'recordCustomer', 'digital-sales-executive', 'recorded');
  await completeThroughApi(id, 'checkCapacity', 'help-desk', 'confirmed');
  await completeThroughApi(id, 'negotiateOffer', 'digital-sales-executive', 'accepted');
  const upload = async (kind: string, bytes: Buffer, filename: string) => (await uploadDocument(app.baseUrl, executive, bytes, { kind, filename })).body.id;
  await completeThroughApi(id, 'collectRequirements', 'digital-sales-executive', 'collected', {
    idCard: await upload('id-card', pngBytes(12, 3), 'carnet.png'),
    installationLocation: await upload('installation-location', pdfBytes('croquis'), 'croquis.pdf'),
    requestLetter: await upload('request-letter', pdfBytes('carta'), 'carta.pdf'),
    receivedVia: 'whatsapp',
  });

  // The executive: the payment mode, then the receipt through the upload widget.
  const page = await laptopPage(browser, app.baseUrl);
  const mode = await openTask(id, 'choosePaymentMode', 'digital-sales-executive');
  await signIn(app, page, 'digital-sales-executive', `/tasks/${mode.id}`);
  await page.getByRole('heading', { name: /^Payment mode of Ana Rojas Quiroga: Hogar Fibra 100, BOB 279\.00 a month/ }).waitFor();
  await page.getByRole('radio', { name: /^Prepaid - bank transfer/ }).check();
  await page.getByRole('button', { name: 'Complete task' }).click();
  await page.getByRole('heading', { name: 'This task is completed' }).waitFor();

  await completeThroughApi(id, 'enterSale', 'digital-sales-executive', 'entered');
  const receipt = await openTask(id, 'submitTransferReceipt', 'digital-sales-executive');
  await page.goto(`/tasks/${receipt.id}`);
  await page.getByRole('heading', { name: /^Send the transfer receipt of Ana Rojas Quiroga/ }).waitFor();
  await page.getByLabel('Receipt', { exact: true }).setInputFiles(path.join(filesDir, 'comprobante.pdf'));
  await page.getByRole('link', { name: 'comprobante.pdf' }).waitFor();
  await page.getByLabel('depositNumber').fill('DEP-55001');
  await page.getByLabel('Amount (BOB)').fill('279');
  await page.getByLabel('depositedOn').fill('2026-11-30');
  await page.getByLabel('Operation type').selectOption('transfer');
  await page.getByLabel('depositor').fill('Ana Rojas Quiroga');
  await screenshot(page, '20-residential-transfer-receipt');
  await page.getByRole('radio', { name: /^Sent to collections/ }).check();
  await page.getByRole('button', { name: 'Complete task' }).click();
  await page.getByRole('heading', { name: 'This task is completed' }).waitFor();
  await page.context().close();

  // Collections: no statement has the deposit yet, so the task says so; collections confirms it.
  const collections = await laptopPage(browser, app.baseUrl);
  await signIn(app, collections, 'collections', '/inbox');
  const row = collections.locator('tbody tr').filter({ hasText: 'Validate the deposit DEP-55001' });
  await row.waitFor();
  await expect(row.innerText()).resolves.toContain('no line of deposit DEP-55001 in the imported statements yet');
  await row.getByRole('link').first().click();
  await collections.getByRole('radio', { name: /^Deposit confirmed/ }).check();
  await collections.getByRole('button', { name: 'Complete task' }).click();
  await collections.getByRole('heading', { name: 'This task is completed' }).waitFor();
  await collections.context().close();

  // The cashier: the invoice's PDF from the task page, then handed over.
  const cashier = await laptopPage(browser, app.baseUrl);
  await signIn(app, cashier, 'cashier', '/inbox');
  const print = cashier.locator('tbody tr').filter({ hasText: 'Print invoice' });
  await print.waitFor({ timeout: 60_000 });
  await print.getByRole('link').first().click();
  const invoiceLink = cashier.getByRole('link', { name: /^Invoice \d+ \(PDF\)$/ });
  await invoiceLink.waitFor();
  const [download] = await Promise.all([cashier.waitForEvent('download'), invoiceLink.click()]);
  expect(download.suggestedFilename()).toMatch(/^factura-\d+\.pdf$/);
  expect(readFileSync((await download.path())!).subarray(0, 5).toString()).toBe('%PDF-');
  await screenshot(cashier, '21-residential-cashier');
  await cashier.getByRole('radio', { name: /^Printed and handed over/ }).check();
  await cashier.getByRole('button', { name: 'Complete task' }).click();
  await cashier.getByRole('heading', { name: 'This task is completed' }).waitFor();
  await cashier.context().close();
  const done = await eventually(() => api('GET', `/api/processes/${id}`, executive), (r) => r.body.status !== 'running', 'the sale to end');
  expect(done.body).toMatchObject({ status: 'completed', outcome: 'sold', stage: 'attended' });

  // The digital sales lead: the KPI of this month (La Paz) with its trend.
  const lead = await laptopPage(browser, app.baseUrl);
  await signIn(app, lead, 'digital-sales-lead', '/inbox');
  await lead.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing KPI' }).click();
  await lead.getByRole('heading', { name: 'Billing KPI' }).waitFor();
  const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/La_Paz', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
  const status = lead.getByRole('status').filter({ hasText: month });
  await status.waitFor();
  await expect(status.innerText()).resolves.toBe(`${month}: APPROVED`);
  await expect(lead.locator('.kpi-bar').count()).resolves.toBe(12);
  await expect(lead.locator('tbody tr').last().innerText()).resolves.toMatch(new RegExp(`${month}\\s+BOB 279\\.00\\s+no billing the month before\\s+APPROVED`));
  await screenshot(lead, '22-billing-kpi');
  // An earlier month, from the month field: nothing billed, OBSERVED.
  await lead.getByLabel('Month', { exact: true }).fill('2025-01');
  await lead.getByRole('status').filter({ hasText: '2025-01: OBSERVED' }).waitFor();
  await lead.context().close();
});

test('the digital channels lead reads the digital-sales report, downloads it, and re-enters an unattended request', async () => {
  const executive = tokens['digital-sales-executive'];
  const sale = (await api('GET', '/api/definitions/residential-sale', executive)).body.definition;
  const started = await api('POST', '/api/processes', executive, { definitionId: 'residential-sale', businessKey: 'e2e-residential-2', variables: sale.variables.examples[0] });
  const id: string = started.body.id;
  await completeThroughApi(id, 'classifyCustomer', 'digital-sales-executive', 'residential');
  const form = (await openTask(id, 'recordCustomer', 'digital-sales-executive')).form.examples[0];
  // A zone the demo coverage does not reach: the request ends unattended.
  await completeThroughApi(id, 'recordCustomer', 'digital-sales-executive', 'recorded', { ...form, fullName: 'Pedro Quispe', zone: 'llallagua' });
  await eventually(() => api('GET', `/api/processes/${id}`, executive), (r) => r.body.status === 'completed', 'the request to end unattended');

  const lead = await laptopPage(browser, app.baseUrl);
  await signIn(app, lead, 'digital-channels-lead', '/inbox');
  await lead.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Digital sales' }).click();
  await lead.getByRole('heading', { name: 'Digital sales', exact: true }).waitFor();
  const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/La_Paz', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
  const report = (await api('GET', `/api/reports/digital-sales?month=${month}`, await tokenFor(app, 'digital-channels-lead'))).body;
  const facts = lead.locator('.report-figures');
  await facts.getByText(`${report.closed.unattended.total} (no-coverage ${report.closed.unattended.byReason['no-coverage']})`).waitFor();
  await expect(facts.innerText()).resolves.toContain(`${report.prospects.total} (`);

  const [download] = await Promise.all([lead.waitForEvent('download'), lead.getByRole('button', { name: 'Download XLSX' }).click()]);
  expect(download.suggestedFilename()).toBe(`ventas-digitales-${month}.xlsx`);
  expect(readFileSync((await download.path())!).subarray(0, 2).toString()).toBe('PK');

  const row = lead.locator(`tr[data-process-id="${id}"]`);
  await row.getByText('no coverage in zone llallagua').waitFor();
  await expect(row.innerText()).resolves.toContain('Pedro Quispe');
  await screenshot(lead, '23-digital-sales-report');
  await row.getByRole('button', { name: 'Re-enter' }).click();
  await row.getByRole('link', { name: 'New sale' }).click();
  await lead.waitForURL(/\/processes\//);
  const leadToken = await tokenFor(app, 'digital-channels-lead');
  const reentered = await eventually(
    () => api('GET', `/api/reports/unattended-requests`, leadToken),
    (r) => r.body.items.some((i: any) => i.processId === id && i.reenteredAs),
    'the request taken up',
  );
  const newId = reentered.body.items.find((i: any) => i.processId === id).reenteredAs;
  expect(new URL(lead.url()).pathname).toBe(`/processes/${newId}`);
  await lead.context().close();
});
