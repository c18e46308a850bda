/**
 * The back-office web app in a real browser (Debian's Chromium through playwright-core) against
 * Cauce started as a user starts it (`npm start`: embedded Postgres and Temporal, real worker).
 * Earlier steps of an assisted sale are worked through the API; what a person does is done with
 * the keyboard and mouse on the pages. Screenshots of the main pages go to test/artifacts/screenshots/ (docs/screenshots/ with CAUCE_UPDATE_SCREENSHOTS=1).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { completeInboxTask, inboxTask, requestJson } from '../support/api';
import { contractDocuments, CONTRACT_DOCUMENTS, uploadSink, verdicts, type ContractKind } from '../support/assisted-sale';
import { eventually } from '../support/eventually';
import { cspViolations, laptopPage, launchChromium, screenshot } from './support/browser';
import { mailTo } from './support/mail';
import { appRequester, signIn, tokenFor } from './support/sign-in';
import { startAppAsUser, type StartedApp } from './support/started-app';

jest.setTimeout(300_000);

let app: StartedApp;
let browser: Browser;
let adminToken: string;
let example: Record<string, any>;
/** The assisted sale's document kinds, with their titles: what the verdict field shows per document. */
let documentKinds: Record<string, { title: string }>;

const SUPPORT = 'commercial-support';

const api = <T = any>(method: string, path: string, body?: unknown, token = adminToken) => requestJson<T>(app.baseUrl, method, path, token, body);


beforeAll(async () => {
  // Chromium first: without it there is no point starting the servers, and the message says what to install.
  browser = await launchChromium();
  app = await startAppAsUser();
  adminToken = await tokenFor(app, 'admin');
  const sale = (await api('GET', '/api/definitions/assisted-sale')).body.definition;
  example = sale.variables.examples[0];
  documentKinds = sale.documents;
}, 300_000);

// The app works under the API's Content-Security-Policy (api/security-headers.ts): nothing refused.
afterEach(() => {
  expect(cspViolations.splice(0)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Completes the step's open task through the API, as admin (the consultant's tasks are assigned to the example's consultant). */
const completeThroughApi = (processId: string, stepId: string, outcome: string, data?: Record<string, unknown>) =>
  completeInboxTask(appRequester(app), { username: 'admin', token: adminToken }, processId, stepId, outcome, data);

let sales = 0;

/** Works an assisted sale up to commercial support's document validation; the consultant's purchase form stays open beside it. */
async function driveToDocumentValidation(processId: string): Promise<string> {
  await completeThroughApi(processId, 'chooseTemplate', 'chosen');
  await completeThroughApi(processId, 'confirmBusinessType', 'confirmed');
  await completeThroughApi(processId, 'explainContent', 'explained');
  await completeThroughApi(processId, 'verifyClient', 'inOnyx');
  // Each sale needs a consecutive of its own: the example's, taken by the first sale, sends later ones back.
  await completeThroughApi(processId, 'registerContract', 'registered', { contractNumber: `MND-${700_000 + ++sales}` });
  await completeThroughApi(processId, 'collectDocuments', 'sent', await contractDocuments(uploadSink(app.baseUrl, adminToken)));
  return (await inboxTask(appRequester(app), { username: 'admin', token: adminToken }, processId, 'validateDocuments')).id;
}

async function startThroughApi(businessKey: string): Promise<string> {
  const res = await api('POST', '/api/processes', { definitionId: 'assisted-sale', businessKey, variables: example });
  if (res.status !== 201) throw new Error(`start: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** On a validateDocuments page: a verdict per contract document, Accept unless `rejected` gives the reason. */
async function judgeDocuments(page: Page, rejected: Partial<Record<ContractKind, string>> = {}) {
  for (const kind of Object.keys(CONTRACT_DOCUMENTS) as ContractKind[]) {
    const title = documentKinds[kind].title;
    const verdict = page.getByRole('radiogroup', { name: `Verdict on ${title}`, exact: true });
    const reason = rejected[kind];
    await verdict.getByRole('radio', { name: reason ? 'Reject' : 'Accept' }).check();
    if (reason) await page.getByRole('group', { name: `${title} (required)`, exact: true }).getByLabel(/^Reason for rejecting/).fill(reason);
  }
}

async function chooseOutcomeAndSubmit(page: Page, label: string) {
  await page.getByRole('radio', { name: new RegExp(`^${label}`) }).check();
  await page.getByRole('button', { name: 'Complete task' }).click();
}

describe('serving the web app', () => {
  test('/ and client routes get the app; /api and /healthz keep answering as the API', async () => {
    for (const path of ['/', '/inbox', '/processes/some-id', '/definitions/assisted-sale/versions/1']) {
      const res = await fetch(app.baseUrl + path, { headers: { accept: 'text/html' } });
      expect({ path, status: res.status, type: res.headers.get('content-type') }).toEqual({ path, status: 200, type: expect.stringContaining('text/html') });
      expect(await res.text()).toContain('<div id="root">');
    }
    const missingApi = await fetch(`${app.baseUrl}/api/no-such-route`, { headers: { accept: 'text/html' } });
    expect(missingApi.status).toBe(404);
    expect(await missingApi.json()).toMatchObject({ error: { code: 'route_not_found' } });
    expect((await fetch(`${app.baseUrl}/healthz`)).headers.get('content-type')).toContain('application/json');
    expect((await fetch(`${app.baseUrl}/assets/no-such-file.js`)).status).toBe(404);
  });
});

describe('back-office staff and operators in the browser', () => {
  test('start from the form; commercial support sees only its task, approves it, and the timeline moves on', async () => {
    // An operator starts the sale from the definition's start form (prefilled from its example).
    const admin = await laptopPage(browser, app.baseUrl);
    await admin.goto('/definitions');
    // Not signed in yet: the sign-in page, which will come back to the definitions afterwards.
    await admin.getByRole('heading', { name: 'Sign in to Cauce' }).waitFor();
    expect(admin.url()).toContain('/signin?next=%2Fdefinitions');
    await screenshot(admin, '01-sign-in');
    await signIn(app, admin, 'admin', '/definitions/assisted-sale/start');
    await admin.getByLabel(/Business key/).fill('e2e-ui-approve');
    await expect(admin.locator('#variables_client_name').inputValue()).resolves.toBe(example.client.name);
    await screenshot(admin, '07-start-form');
    await admin.getByRole('button', { name: 'Start process' }).click();
    await admin.waitForURL(/\/processes\/[0-9a-f-]{36}$/);
    const processId = admin.url().split('/').pop()!;
    await admin.getByRole('heading', { name: /assisted-sale · e2e-ui-approve/ }).waitFor();

    const taskId = await driveToDocumentValidation(processId);

    // Commercial support's inbox: the validation task, and not the consultant's purchase form that is open too.
    const page = await laptopPage(browser, app.baseUrl);
    await signIn(app, page, SUPPORT);
    await page.waitForURL(/\/inbox$/);
    const row = page.locator(`tr[data-task-id="${taskId}"]`);
    await row.waitFor();
    await expect(row.innerText()).resolves.toContain('e2e-ui-approve');
    await expect(row.innerText()).resolves.toContain('Validate contract documents of');
    const consultantTasks = await api('GET', `/api/tasks?processId=${processId}&role=consultant`);
    expect(consultantTasks.body.items.map((t: any) => t.stepId)).toContain('purchaseForm');
    await expect(page.getByText(/Purchase form/).count()).resolves.toBe(0);
    await expect(page.locator('tbody tr').count()).resolves.toBe(1);
    await screenshot(page, '02-inbox');

    // Claim from the inbox, open it, complete it with "Approve".
    await row.getByRole('button', { name: /^Claim/ }).click();
    await row.getByRole('button', { name: /^Release/ }).waitFor();
    await row.getByRole('link').click();
    await page.waitForURL(`**/tasks/${taskId}`);
    await page.getByRole('heading', { name: /Validate contract documents/ }).waitFor();
    await page.getByRole('heading', { name: 'Documents', exact: true }).waitFor();
    await page.locator('.documents').getByText(/^contract-.*\.pdf/).first().waitFor();
    await judgeDocuments(page);
    await page.getByLabel('observations').fill('Documentos completos y vigentes.');
    await page.getByRole('radio', { name: /^Approve/ }).check();
    await screenshot(page, '03-task');
    await page.getByRole('button', { name: 'Complete task' }).click();
    await page.getByRole('heading', { name: 'This task is completed' }).waitFor();
    await expect(page.getByRole('status').filter({ hasText: 'Completed by' }).innerText()).resolves.toMatch(/commercial-support.*approve/);

    // The operator's explorer: the process list, then the instance whose timeline shows the work order being made.
    await admin.goto('/processes?definitionId=assisted-sale&status=running');
    await admin.locator(`tr[data-process-id="${processId}"]`).waitFor();
    await screenshot(admin, '04-process-list');
    await admin.locator(`tr[data-process-id="${processId}"]`).getByRole('link').click();
    // The business trail first: who did what and which steps ran, no Temporal events; the technical view adds them.
    const timeline = admin.getByRole('list', { name: 'Timeline' });
    const views = admin.getByRole('group', { name: 'Timeline view' });
    await expect(views.getByRole('button', { name: 'Business' }).getAttribute('aria-pressed')).resolves.toBe('true');
    await timeline.getByText('Task completed by commercial-support: approve').waitFor();
    await timeline.getByText('Entered activity step createWorkOrder').waitFor();
    await expect(timeline.getByText(/workOrders\.create completed/).count()).resolves.toBe(0);
    await screenshot(admin, '05a-instance-timeline-business');
    await views.getByRole('button', { name: 'Technical' }).click();
    await timeline.getByText(/workOrders\.create completed/).first().waitFor();
    await timeline.getByText(/Task .* completed by commercial-support: approve/).first().waitFor();
    expect(new URL(admin.url()).searchParams.get('timeline')).toBe('technical');
    await expect(admin.getByRole('link', { name: /Temporal Web UI/ }).getAttribute('href')).resolves.toBe(
      `${app.temporalUiUrl}/namespaces/default/workflows/${encodeURIComponent('assisted-sale/e2e-ui-approve')}/${processId}`,
    );
    await timeline.getByText('Entered activity step createWorkOrder').scrollIntoViewIfNeeded();
    await screenshot(admin, '05-instance-timeline');

    // Definitions: the version's diagram drawn by Mermaid from the YAML.
    await admin.goto('/definitions/assisted-sale');
    const diagram = admin.locator('.diagram-svg svg');
    await diagram.waitFor();
    for (const step of ['validateDocuments', 'createWorkOrder', 'prepareSale']) await admin.locator('.diagram-svg').getByText(new RegExp(`^${step}`)).first().waitFor();
    await screenshot(admin, '06-definition-diagram');
    await admin.locator('.diagram-svg').getByText(/^validateDocuments/).first().scrollIntoViewIfNeeded();
    await screenshot(admin, '06b-diagram-parallel-branches');

    // Cancel with a reason, after confirming.
    await admin.goto(`/processes/${processId}`);
    await admin.getByRole('button', { name: 'Cancel process…' }).click();
    await admin.getByLabel(/Reason/).fill('e2e: client withdrew');
    await admin.getByRole('button', { name: 'Cancel the process' }).click();
    await admin.locator('.facts').getByText('cancelled').waitFor({ timeout: 30_000 });
    await admin.context().close();
    await page.context().close();
  });

  test("a rejected form shows the API's validation message; an expired session keeps the draft", async () => {
    const processId = await startThroughApi('e2e-ui-invalid');
    const taskId = await driveToDocumentValidation(processId);
    const page = await laptopPage(browser, app.baseUrl);
    await signIn(app, page, SUPPORT, `/tasks/${taskId}`);
    await page.waitForURL(`**/tasks/${taskId}`);

    const tooLong = 'x'.repeat(2001);
    const rejected = { 'id-copy': 'Cédula ilegible' };
    await judgeDocuments(page, rejected);
    await page.getByLabel('observations').fill(tooLong);
    await chooseOutcomeAndSubmit(page, 'Send back');
    const supportToken = (await page.evaluate("JSON.parse(localStorage.getItem('cauce.session')).token")) as string;
    // What the API says about this data is what the page must show, at the field and in the summary.
    const expected = await api('POST', `/api/tasks/${taskId}/complete`, { outcome: 'reject', data: { ...verdicts(rejected), observations: tooLong } }, supportToken);
    expect(expected.status).toBe(422);
    const message: string = expected.body.error.details.problems[0].message;
    await page.getByRole('alert').filter({ hasText: 'The answer was not accepted' }).waitFor();
    await page.locator('.error-detail').getByText(message).waitFor();
    await expect(page.getByRole('heading', { name: 'This task is completed' }).count()).resolves.toBe(0);

    // The session ends (signed out elsewhere) while the person fixes the text: sign-in, then back to the same draft.
    await api('POST', '/api/auth/logout', undefined, supportToken);
    await page.getByLabel('observations').fill('Cédula no coincide con el contrato.');
    await page.getByRole('button', { name: 'Complete task' }).click();
    await page.waitForURL(/\/signin\?/);
    await page.getByText('Your session has expired').waitFor();
    await page.getByLabel('Username').fill(SUPPORT);
    await page.getByLabel('Password').fill(app.users.get(SUPPORT)!.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**/tasks/${taskId}`);
    await expect(page.getByLabel('observations').inputValue()).resolves.toBe('Cédula no coincide con el contrato.');
    await expect(page.getByRole('radio', { name: /^Send back/ }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole('group', { name: `${documentKinds['id-copy'].title} (required)`, exact: true }).getByLabel(/^Reason for rejecting/).inputValue()).resolves.toBe('Cédula ilegible');
    await page.getByRole('button', { name: 'Complete task' }).click();
    await page.getByRole('heading', { name: 'This task is completed' }).waitFor();
    expect((await api('GET', `/api/tasks/${taskId}`)).body).toMatchObject({
      status: 'completed', outcome: 'reject', data: { ...verdicts(rejected), observations: 'Cédula no coincide con el contrato.' },
    });
    await page.context().close();
  });

  test('two sessions complete the same task: the second is told plainly that it was already done', async () => {
    const processId = await startThroughApi('e2e-ui-race');
    const taskId = await driveToDocumentValidation(processId);
    const first = await laptopPage(browser, app.baseUrl);
    const second = await laptopPage(browser, app.baseUrl);
    await signIn(app, first, SUPPORT, `/tasks/${taskId}`);
    await signIn(app, second, 'admin', `/tasks/${taskId}`);
    for (const page of [first, second]) await page.getByRole('button', { name: 'Complete task' }).waitFor();

    await judgeDocuments(first);
    await first.getByLabel('observations').fill('Aprobado por la primera sesión.');
    await chooseOutcomeAndSubmit(first, 'Approve');
    await first.getByRole('heading', { name: 'This task is completed' }).waitFor();

    await judgeDocuments(second, { annex: 'Anexo sin firma' });
    await second.getByLabel('observations').fill('La segunda sesión llega tarde.');
    await chooseOutcomeAndSubmit(second, 'Send back');
    const notice = second.getByRole('alert').filter({ hasText: 'This task was already completed' });
    await notice.getByText(/commercial-support completed it with outcome approve/).waitFor();
    await screenshot(second, '08-task-already-completed');
    expect((await api('GET', `/api/tasks/${taskId}`)).body).toMatchObject({ status: 'completed', outcome: 'approve', completedBy: SUPPORT });
    await first.context().close();
    await second.context().close();
  });

  test('an operator sees an incident on the Incidents page and the instance, and retries it once the data is fixed', async () => {
    const fixture = path.join(__dirname, '../fixtures/hostile/fixable.yaml');
    const deployed = await requestJson(app.baseUrl, 'POST', '/api/definitions?file=fixable.yaml', adminToken, undefined, {
      raw: readFileSync(fixture, 'utf8'),
      headers: { 'content-type': 'application/yaml' },
    });
    expect([200, 201]).toContain(deployed.status);
    const started = await api('POST', '/api/processes', { definitionId: 'fixable', businessKey: 'e2e-incident', variables: { amount: 'twelve' } });
    expect(started.status).toBe(201);
    const processId = started.body.id as string;
    await eventually(() => api('GET', `/api/incidents?processId=${processId}`), (r) => r.body.items?.length === 1, 'the incident', 60_000);

    const page = await laptopPage(browser, app.baseUrl);
    await signIn(app, page, 'admin', '/incidents');
    await page.getByRole('heading', { name: 'Incidents', exact: true }).waitFor();
    await page.getByRole('link', { name: 'fixable · e2e-incident' }).click();
    const card = page.getByRole('region', { name: 'Incidents' });
    await card.getByText('isPositive', { exact: true }).waitFor();
    await card.getByText(/^at fixable\.yaml:31:/).waitFor();
    // The author's condition, not the engine's wrapping of it.
    await card.getByText(/expression "\$number\(/).waitFor();
    await screenshot(page, '09-incident');

    // The correction arrives; the operator runs the step again and the instance completes.
    expect((await api('POST', `/api/processes/${processId}/events/fix`, { eventId: 'fix-e2e', payload: { value: '12' } })).status).toBe(202);
    await eventually(() => api('GET', `/api/processes/${processId}`), (r) => r.body.stage === 'fixed', 'the fix taken', 60_000);
    await card.getByRole('button', { name: 'Retry the step' }).click();
    await eventually(() => api('GET', `/api/processes/${processId}`), (r) => r.body.status === 'completed', 'the instance completed', 60_000);
    expect((await api('GET', `/api/incidents?processId=${processId}&status=all`)).body.items).toEqual([expect.objectContaining({ resolution: 'retried', resolvedBy: 'admin' })]);
    await page.context().close();
  });

  test('an operator reads a notification on the Sent mail page, as the local SMTP sink received it', async () => {
    const email = `e2e.mail${Date.now()}@cafeteriaelmolino.cl`;
    const signup = await api('POST', '/api/accounts', { kind: 'freemium', email, rut: '77.123.456-9', name: 'Cafetería El Molino Ltda.', channel: 'landing' }, await tokenFor(app, 'integration'));
    expect(signup.status).toBe(201);
    expect((await mailTo(app, adminToken, email)).received).toBe(1);

    const page = await laptopPage(browser, app.baseUrl);
    await signIn(app, page, 'admin', '/inbox');
    await page.getByRole('link', { name: 'Sent mail' }).click();
    await page.getByRole('heading', { name: 'Sent mail', exact: true }).waitFor();
    const row = page.getByRole('row').filter({ hasText: email });
    await row.getByRole('link', { name: 'Bienvenido a tu cuenta gratuita, Cafetería El Molino Ltda.' }).click();
    await page.getByRole('heading', { name: 'Bienvenido a tu cuenta gratuita, Cafetería El Molino Ltda.', level: 2 }).waitFor();
    await page.getByText(`La cuenta gratuita de Cafetería El Molino Ltda. está lista (cuenta ${signup.body.accountId})`).waitFor();
    await screenshot(page, '10-sent-mail');
    await page.context().close();
  });

  test("an outside participant completes a task through the link the e-mail brings, with no login; the used link then says so", async () => {
    const fixture = path.join(__dirname, '../fixtures/processes/client-approval.yaml');
    const deployed = await requestJson(app.baseUrl, 'POST', '/api/definitions', adminToken, undefined, { raw: readFileSync(fixture, 'utf8'), headers: { 'content-type': 'application/yaml' } });
    expect([200, 201]).toContain(deployed.status);
    const email = `e2e.link${Date.now()}@laespiga.cl`;
    const started = await api('POST', '/api/processes', { definitionId: 'client-approval', businessKey: `e2e-link-${Date.now()}`, variables: { client: { name: 'Panadería La Espiga', email } } });
    expect(started.status).toBe(201);
    // The link as the person receives it: in the e-mail the local SMTP sink got.
    const message = await mailTo(app, adminToken, email);
    expect(message.received).toBe(1);
    const token = /\/link#([A-Za-z0-9_-]{43})/.exec(message.text)![1];

    const page = await laptopPage(browser, app.baseUrl);
    await page.goto(`/link#${token}`);
    await page.getByRole('heading', { name: 'Approve the proposal for Panadería La Espiga' }).waitFor();
    await page.getByText('Read the proposal and tell us whether it is right.').waitFor();
    // No back-office navigation on this page.
    await expect(page.getByRole('link', { name: 'Inbox' }).count()).resolves.toBe(0);
    await page.getByLabel('comment').fill('Todo correcto');
    await page.getByRole('radio', { name: 'Approve' }).check();
    await screenshot(page, '11-task-link');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Thank you: your answer was recorded.').waitFor();
    await eventually(() => api('GET', `/api/processes/${started.body.id}`), (r) => r.body.status === 'completed' && r.body.outcome === 'approved', 'the approval taken', 60_000);
    const task = (await api('GET', `/api/tasks?processId=${started.body.id}&status=all`)).body.items[0];
    expect(task).toMatchObject({ status: 'completed', completedBy: email });

    await page.reload();
    await page.getByText('This link was already used: the task is done.').waitFor();
    await expect(page.getByRole('button').count()).resolves.toBe(0);
    await page.context().close();
  });
});
