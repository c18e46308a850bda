/**
 * Seed 003's consultant page in a real browser (Debian's Chromium through playwright-core) against Cauce
 * started as a user starts it (`npm start`): back office finds a consultant in the list by zone, opens
 * their page (state, registrations, agreements), inactivates them with a reason, and the state widget
 * shows the change with it; the leader of the network reactivates them from their own page.
 */
import type { Browser } from 'playwright-core';
import { requestJson } from '../support/api';
import { cspViolations, laptopPage, launchChromium, screenshot } from './support/browser';
import { signIn, tokenFor } from './support/sign-in';
import { startAppAsUser, type StartedApp } from './support/started-app';

jest.setTimeout(300_000);

let app: StartedApp;
let browser: Browser;
let backOffice: string;

const api = <T = any>(method: string, p: string, token: string, body?: unknown) => requestJson<T>(app.baseUrl, method, p, token, body);

beforeAll(async () => {
  browser = await launchChromium();
  app = await startAppAsUser();
  backOffice = await tokenFor(app, 'back-office');
}, 300_000);

afterEach(() => {
  expect(cspViolations.splice(0)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

test('back office finds a consultant by zone, reads the page and inactivates them with a reason; the state widget shows it', async () => {
  const n = String(Date.now() % 100_000_000).padStart(8, '0');
  const person = { country: 'CO', documentType: 'CC', documentNumber: n, name: 'Marcela Ríos Pardo', email: `marcela${n}@gmail.com`, zone: `zona-e2e-${n}` };
  const registered = await api('POST', '/api/consultants/registrations', backOffice, { person, channel: 'replicated-site', formType: 'long', requiresApproval: false });
  expect(registered.body).toMatchObject({ status: 'completed', case: 'new-consultant' });

  const page = await laptopPage(browser, app.baseUrl);
  await signIn(app, page, 'back-office', '/consultants');
  await page.getByRole('heading', { name: 'Consultants' }).waitFor();
  await page.getByLabel('Zone').fill(person.zone);
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByRole('table', { name: 'Consultants' }).getByRole('link', { name: person.name }).click();
  await page.getByRole('heading', { name: person.name }).waitFor();
  const state = page.getByRole('region', { name: 'State' });
  await state.getByText('pre-registered → active').waitFor();
  await page.getByRole('region', { name: 'Registrations' }).getByText('new-consultant').waitFor();

  await state.getByLabel('Reason').fill('Tres campañas sin pedidos');
  await state.getByRole('button', { name: 'Inactivate' }).click();
  await state.getByText('active → inactive — Tres campañas sin pedidos').waitFor();
  await state.getByRole('heading', { name: /State: inactive/ }).waitFor();
  await screenshot(page, '31-consultant-page');
  // Back office reactivates from the same page.
  await state.getByLabel('Reason').fill('Volvió a pedir');
  await state.getByRole('button', { name: 'Reactivate' }).click();
  await state.getByText('inactive → active — Volvió a pedir').waitFor();
  expect((await api('GET', `/api/consultants/${registered.body.consultantId}`, backOffice)).body).toMatchObject({ status: 'active' });
  await page.context().close();
});
