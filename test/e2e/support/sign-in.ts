/** Signing in as one of the demo users `npm start` wrote (dev-users.json): through the API for a token, or on the page. */
import type { Page } from 'playwright-core';
import { requestJson, type Caller, type Requester } from '../../support/api';
import type { StartedApp } from './started-app';

export async function tokenFor(app: StartedApp, username: string): Promise<string> {
  const res = await requestJson(app.baseUrl, 'POST', '/api/auth/login', undefined, { username, password: app.users.get(username)!.password });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

/** A demo user signed in through the API, as the task helpers of test/support/api.ts take one. */
export async function callerFor(app: StartedApp, username: string): Promise<Caller> {
  return { username, token: await tokenFor(app, username) };
}

/**
 * The started app as the task helpers call it. Its worker is a process of its own on a machine that
 * also runs the browser, so a task may take longer to reach the inbox than in the in-process stack.
 */
export function appRequester(app: StartedApp): Requester {
  return { request: (method, path, token, body, options) => requestJson(app.baseUrl, method, path, token, body, options), waitMs: 60_000 };
}

/** Opens `to` (the sign-in page comes first, then goes back there) and signs in with the username and password. */
export async function signIn(app: StartedApp, page: Page, username: string, to = '/'): Promise<void> {
  await page.goto(to);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(app.users.get(username)!.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
