/** Signing in as one of the demo users `npm start` wrote (dev-users.json): through the API for a token, or on the page. */
import type { Page } from 'playwright-core';
import { requestJson } from '../../support/api';
import type { StartedApp } from './started-app';

export async function tokenFor(app: StartedApp, username: string): Promise<string> {
  const res = await requestJson(app.baseUrl, 'POST', '/api/auth/login', undefined, { username, password: app.users.get(username)!.password });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

/** Opens `to` (the sign-in page comes first, then goes back there) and signs in with the username and password. */
export async function signIn(app: StartedApp, page: Page, username: string, to = '/'): Promise<void> {
  await page.goto(to);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(app.users.get(username)!.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
