import type { Browser, Page } from 'playwright-core';

/**
 * Debian's headless Chromium through playwright-core, as every browser test runs it.
 * playwright-core is loaded here, on first use, so suites without a browser do not pay for it.
 */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * Collects what a browser test must fail on: console errors, uncaught page errors (CSP violations
 * show up here) and any browser dialog (dismissed). A refused API call (4xx) is logged by Chromium
 * as « Failed to load resource »: those are expected answers, not errors.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('dialog', (dialog) => {
    errors.push(`unexpected browser dialog: ${dialog.type()} ${dialog.message()}`);
    void dialog.dismiss();
  });
  return errors;
}
