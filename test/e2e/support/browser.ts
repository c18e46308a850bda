/**
 * Debian's Chromium driven by playwright-core (which ships no browser of its own). A missing
 * Chromium fails the run with the command that fixes it: a skipped browser test would look green.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../../../scripts/ensure-tools';

export const CHROMIUM = '/usr/bin/chromium';
/**
 * Every run writes its screenshots to test/artifacts/screenshots/ (ignored by git); with
 * CAUCE_UPDATE_SCREENSHOTS=1 it refreshes the committed ones in docs/screenshots/ that the README links.
 */
export const SCREENSHOTS_DIR = path.join(ROOT, process.env.CAUCE_UPDATE_SCREENSHOTS === '1' ? 'docs' : 'test/artifacts', 'screenshots');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser tests need Debian's Chromium. Install it with \`apt-get install chromium\` (as root, or with sudo).`);
  }
  const args = ['--disable-background-networking'];
  // Chromium refuses to run as root with its sandbox on.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}

/**
 * What Chromium refused under the server's Content-Security-Policy, on every page laptopPage opened
 * (it reports each refusal on the console). Tests expect it to stay empty.
 */
export const cspViolations: string[] = [];

/** A laptop-sized page: what the layout is made for. */
export async function laptopPage(browser: Browser, baseUrl: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: baseUrl });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`);
  });
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  // The laptop-sized viewport, as a person sees the page when it opens.
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`) });
}
