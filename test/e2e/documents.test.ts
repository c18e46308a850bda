/**
 * The upload widget and the verdicts field in a real browser (Debian's Chromium through
 * playwright-core) against Cauce started as a user starts it (`npm start`). The definition is the
 * documents fixture (test/fixtures/valid/document-check.yaml), deployed through the API as an admin
 * would: a consultant uploads real files built in the test, commercial support judges them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { inboxTask, requestJson, type Caller } from '../support/api';
import { daysAgo, pdfBytes, pngBytes } from '../support/documents';
import { cspViolations, laptopPage, launchChromium, screenshot } from './support/browser';
import { appRequester, callerFor, signIn, tokenFor } from './support/sign-in';
import { startAppAsUser, type StartedApp } from './support/started-app';

jest.setTimeout(300_000);

let app: StartedApp;
let browser: Browser;
let filesDir: string;
const files: Record<string, string> = {};
const pdf = pdfBytes('Contrato firmado');
/** A small limit, so the browser meets a 413 with a file the test can build quickly. */
const MAX_BYTES = 64 * 1024;

const api = <T = any>(method: string, p: string, token: string, body?: unknown, options?: Parameters<typeof requestJson>[5]) =>
  requestJson<T>(app.baseUrl, method, p, token, body, options);


beforeAll(async () => {
  browser = await launchChromium();
  filesDir = mkdtempSync(path.join(os.tmpdir(), 'cauce-e2e-files-'));
  for (const [name, bytes] of Object.entries({
    'contrato.pdf': pdf,
    'foto.png': pngBytes(32, 5),
    'rut.pdf': pdfBytes('Certificado RUT'),
    'escaneo-grande.pdf': Buffer.concat([pdfBytes('grande'), Buffer.alloc(MAX_BYTES * 2, 1)]),
  })) {
    files[name] = path.join(filesDir, name);
    writeFileSync(files[name], bytes);
  }
  app = await startAppAsUser({ CAUCE_DOCUMENT_MAX_BYTES: String(MAX_BYTES) });
  const yaml = readFileSync(path.join(__dirname, '..', 'fixtures', 'valid', 'document-check.yaml'), 'utf8');
  const deployed = await api('POST', '/api/definitions', await tokenFor(app, 'admin'), undefined, { raw: yaml, headers: { 'content-type': 'application/yaml' } });
  if (deployed.status !== 201) throw new Error(`deploy: ${deployed.status} ${JSON.stringify(deployed.body)}`);
}, 300_000);

afterEach(() => {
  expect(cspViolations.splice(0)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (filesDir) rmSync(filesDir, { recursive: true, force: true });
});


/** The id of the step's open task, once the caller sees it. */
const openTask = async (processId: string, stepId: string, caller: Caller): Promise<string> => (await inboxTask(appRequester(app), caller, processId, stepId)).id;

/** The upload widget of the field labelled `label` (its file input carries the label). */
const widget = (page: Page, label: string) => page.locator('.document-upload').filter({ has: page.getByLabel(label, { exact: true }) });

test('a consultant uploads the documents (a wrong type refused with the API message), commercial support downloads and judges them', async () => {
  const consultant = await callerFor(app, 'consultant');
  const consultantToken = consultant.token;
  const started = await api('POST', '/api/processes', consultantToken, { definitionId: 'document-check', businessKey: 'e2e-upload', variables: { client: 'Ferretería El Tornillo' } });
  expect(started.status).toBe(201);
  const processId: string = started.body.id;
  const submitId = await openTask(processId, 'submit', consultant);

  const page = await laptopPage(browser, app.baseUrl);
  await signIn(app, page, 'consultant', `/tasks/${submitId}`);
  await page.getByRole('heading', { name: 'Submit the contract documents' }).waitFor();
  const contract = widget(page, 'contract');
  await contract.getByText('Signed contract: application/pdf (required)').waitFor();

  // A PNG for a PDF-only kind: the API sniffs it and says so; the field stays empty.
  await page.getByLabel('contract', { exact: true }).setInputFiles(files['foto.png']);
  const refusal = contract.getByRole('alert');
  await refusal.getByText('The file was not accepted').waitFor();
  await expect(refusal.innerText()).resolves.toContain("A document of kind 'contract' must be application/pdf; this file is image/png (sniffed from its bytes)");
  await expect(contract.getByText('Stored:').count()).resolves.toBe(0);
  await screenshot(page, '11-upload-wrong-type');

  // Over documents.maxBytes: 413, in the API's words.
  await page.getByLabel('contract', { exact: true }).setInputFiles(files['escaneo-grande.pdf']);
  await refusal.getByText('The file is too large').waitFor();
  await expect(refusal.innerText()).resolves.toContain(`The document is larger than ${MAX_BYTES} bytes`);

  // The PDF: stored, listed with its name, type and size; the refusal goes.
  await page.getByLabel('contract', { exact: true }).setInputFiles(files['contrato.pdf']);
  await contract.getByRole('link', { name: 'contrato.pdf' }).waitFor();
  await expect(contract.locator('.document-stored').innerText()).resolves.toContain(`contrato.pdf (application/pdf, ${pdf.length} B)`);
  await expect(refusal.count()).resolves.toBe(0);

  // The RUT certificate must be recent: the widget asks for its issue date before it uploads.
  const rut = widget(page, 'rutCertificate');
  await page.getByLabel('rutCertificate', { exact: true }).setInputFiles(files['rut.pdf']);
  await rut.getByRole('alert').getByText(/Enter the issue date first/).waitFor();
  const issuedOn = daysAgo(3);
  await rut.getByLabel('Issue date').fill(issuedOn);
  await page.getByLabel('rutCertificate', { exact: true }).setInputFiles(files['rut.pdf']);
  await rut.getByText(`issued ${issuedOn}`).waitFor();
  // Remove, then upload again: the field holds the new document.
  await rut.getByRole('button', { name: 'Remove' }).click();
  await expect(rut.getByText('Stored:').count()).resolves.toBe(0);
  await page.getByLabel('rutCertificate', { exact: true }).setInputFiles(files['rut.pdf']);
  await rut.getByRole('link', { name: 'rut.pdf' }).waitFor();
  await screenshot(page, '12-upload-stored');

  await page.getByRole('radio', { name: /^submitted/ }).check();
  await page.getByRole('button', { name: 'Complete task' }).click();
  await page.getByRole('heading', { name: 'This task is completed' }).waitFor();
  const submission = (await api('GET', `/api/processes/${processId}`, consultantToken)).body.variables.submission.data;
  expect(Object.keys(submission).sort()).toEqual(['contract', 'rutCertificate']);
  const contractMeta = await api('GET', `/api/documents/${submission.contract}/meta`, consultantToken);
  expect(contractMeta.body).toMatchObject({ filename: 'contrato.pdf', kind: 'contract', contentType: 'application/pdf', size: pdf.length, processId });

  // Commercial support: each kind with its document and Accept / Reject.
  const reviewer = await callerFor(app, 'commercial-support');
  const supportToken = reviewer.token;
  const validateId = await openTask(processId, 'validate', reviewer);
  const support = await laptopPage(browser, app.baseUrl);
  await signIn(app, support, 'commercial-support', `/tasks/${validateId}`);
  await support.getByRole('heading', { name: 'Validate the contract documents' }).waitFor();
  const contractVerdict = support.getByRole('group', { name: /^Signed contract/ });
  const rutVerdict = support.getByRole('group', { name: /^RUT certificate/ });

  // The download goes through the session's token, and saves the bytes under their file name.
  const [download] = await Promise.all([support.waitForEvent('download'), contractVerdict.getByRole('link', { name: 'contrato.pdf' }).click()]);
  expect(download.suggestedFilename()).toBe('contrato.pdf');
  expect(readFileSync((await download.path())!).equals(pdf)).toBe(true);

  await contractVerdict.getByRole('radio', { name: 'Accept' }).check();
  await rutVerdict.getByRole('radio', { name: 'Reject' }).check();
  await support.getByRole('radio', { name: /^returned/ }).check();
  await support.getByRole('button', { name: 'Complete task' }).click();
  // Rejected without a reason: the workflow's message, under that document.
  await rutVerdict.getByText(/is rejected without a reason/).waitFor();
  await screenshot(support, '13-document-verdicts');

  await rutVerdict.getByLabel(/Reason for rejecting/).fill('Issued for another company');
  await support.getByRole('button', { name: 'Complete task' }).click();
  await support.getByRole('heading', { name: 'This task is completed' }).waitFor();
  const review = (await api('GET', `/api/processes/${processId}`, supportToken)).body.variables.review;
  expect(review).toMatchObject({ outcome: 'returned', data: { verdicts: { contract: { verdict: 'accepted' }, 'rut-certificate': { verdict: 'rejected', reason: 'Issued for another company' } } } });
  // The rejection sends the documents back to the consultant, who sees why on the rejected one's field.
  const resubmitId = await openTask(processId, 'submit', consultant);
  await page.goto(`/tasks/${resubmitId}`);
  await widget(page, 'rutCertificate').getByText('The last one sent was rejected: Issued for another company').waitFor();
  await expect(widget(page, 'contract').getByText(/was rejected/).count()).resolves.toBe(0);
  // The form comes back as it was sent: the accepted contract is still there, to send again as it is.
  await widget(page, 'contract').getByText('contrato.pdf').waitFor();
  await screenshot(page, '14-upload-rejected');
});
