/// <reference lib="dom" />
/**
 * The FranceConnect button measured in headless Chromium, as FranceConnect's qualification checks
 * it (docs/requirements.md FC-01 to FC-07, and docs/domain.md §5.1 "The button, precisely").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { recordMeasurement, usePortalBench, FakePortal, gotoPortal, hexOf, openPage, screenshotPath, SLUG, type PortalPage } from './portal-harness.js';

const SENTENCE = "FranceConnect est la solution proposée par l'État pour sécuriser et simplifier la connexion à vos services en ligne";

const THEMES = {
  light: { background: '#000091', hover: '#1212ff', active: '#2323ff', text: '#f5f5fe' },
  dark: { background: '#8585f6', hover: '#b1b1f9', active: '#c6c6fb', text: '#000091' },
} as const;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function box(locator: Locator): Promise<Box> {
  const b = await locator.boundingBox();
  if (!b) throw new Error('element not rendered');
  return b;
}

async function style(locator: Locator, property: string): Promise<string> {
  return locator.evaluate((element, name) => getComputedStyle(element).getPropertyValue(name), property);
}

/** 209x56 within 1 px, or larger with the same ratio (FC-01). */
function expectButtonSize(b: Box, scale = 1): void {
  expect(Math.abs(b.width - 209 * scale)).toBeLessThanOrEqual(1);
  expect(Math.abs(b.height - 56 * scale)).toBeLessThanOrEqual(1);
  expect(Math.abs(b.width / b.height - 209 / 56)).toBeLessThan(0.03);
}

/** Measures one section's button, link and layout; returns the measurements for the report. */
async function checkSection(page: Page, sectionId: 'connexion' | 'inscription', theme: keyof typeof THEMES) {
  const section = page.locator(`section#${sectionId}`);
  const button = section.locator('a.fc-button');
  const link = section.locator('.fc-info a');
  const sentence = section.locator('.fc-intro');
  const separator = section.locator('.separator');
  const form = section.locator('form');
  await expect(button.count()).resolves.toBe(1);

  // Label, bold brand, logo.
  expect((await button.innerText()).replace(/\s+/g, ' ').trim()).toBe("S'identifier avec FranceConnect");
  expect(await button.locator('.fc-button__login').innerText()).toBe("S'identifier avec");
  expect(Number(await style(button.locator('.fc-button__brand'), 'font-weight'))).toBeGreaterThanOrEqual(700);
  expect(Number(await style(button.locator('.fc-button__login'), 'font-weight'))).toBeLessThan(700);
  await expect(button.locator('svg').count()).resolves.toBe(1);
  expect(await button.getAttribute('target')).toBeNull();
  expect(new URL((await button.evaluate((a) => (a as HTMLAnchorElement).href)) ?? '').pathname).toBe(`/t/${SLUG}/auth/franceconnect/login`);

  // Size and colours at rest, hovered, pressed.
  const b = await box(button);
  expectButtonSize(b);
  const colours = THEMES[theme];
  expect(hexOf(await style(button, 'background-color'))).toBe(colours.background);
  expect(hexOf(await style(button, 'color'))).toBe(colours.text);
  await button.hover();
  expect(hexOf(await style(button, 'background-color'))).toBe(colours.hover);
  expect(hexOf(await style(button, 'color'))).toBe(colours.text);
  await page.mouse.down();
  expect(hexOf(await style(button, 'background-color'))).toBe(colours.active);
  // Release elsewhere so no navigation happens.
  await page.mouse.move(2, 2);
  await page.mouse.up();
  expect(hexOf(await style(button, 'background-color'))).toBe(colours.background);

  // The sentence right above the button.
  expect((await sentence.innerText()).trim()).toContain(SENTENCE);
  const s = await box(sentence);
  expect(s.y + s.height).toBeLessThanOrEqual(b.y);
  expect(b.y - (s.y + s.height)).toBeLessThan(40);

  // « Qu'est-ce que FranceConnect ? » 8 px below, 0.875rem, the theme's link colour, new window.
  const l = await box(link);
  const gap = l.y - (b.y + b.height);
  expect(Math.abs(gap - 8)).toBeLessThanOrEqual(1);
  expect(await link.innerText()).toBe("Qu'est-ce que FranceConnect ?");
  expect(await link.getAttribute('href')).toMatch(/^https:\/\/franceconnect\.gouv\.fr\/?$/);
  expect(await link.getAttribute('target')).toBe('_blank');
  expect((await link.getAttribute('rel'))?.split(/\s+/)).toContain('noopener');
  expect(await link.getAttribute('title')).toBe("Qu'est-ce que FranceConnect ? - nouvelle fenêtre");
  expect(await style(link, 'font-size')).toBe('14px');
  expect(await style(link, 'text-decoration-line')).toContain('underline');
  const linkColour = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--link').trim());
  expect(hexOf(await style(link, 'color'))).toBe(linkColour);

  // FranceConnect first, then « ou », then the local form (FC-05, FC-06).
  expect((await separator.innerText()).trim().toLowerCase()).toBe('ou');
  const sep = await box(separator);
  const f = await box(form);
  expect(sep.y).toBeGreaterThan(l.y + l.height);
  expect(f.y).toBeGreaterThan(sep.y + sep.height);
  const order = await section.evaluate((el) => {
    const fc = el.querySelector('.fc-button');
    const separatorEl = el.querySelector('.separator');
    const formEl = el.querySelector('form');
    if (!fc || !separatorEl || !formEl) return false;
    const following = Node.DOCUMENT_POSITION_FOLLOWING;
    return (fc.compareDocumentPosition(separatorEl) & following) !== 0 && (separatorEl.compareDocumentPosition(formEl) & following) !== 0;
  });
  expect(order).toBe(true);
  return { width: b.width, height: b.height, gap };
}

describe('portal: the FranceConnect button (FC-01 to FC-07, FC-13)', () => {
  let distDir: string;
  let portal: FakePortal;
  let browser: Browser;
  let tab: PortalPage | undefined;
  usePortalBench((bench) => ({ distDir, portal, browser } = bench));

  afterEach(async () => {
    if (tab) expect(tab.errors).toEqual([]);
    await tab?.close();
    tab = undefined;
  });

  it('the build keeps the <base> tag the API rewrites, relative asset URLs and no inline script (CSP)', () => {
    const html = readFileSync(join(distDir, 'index.html'), 'utf8');
    expect(html).toContain('<html lang="fr">');
    expect(html.split('<base href="/" data-fcplat-base>')).toHaveLength(2);
    const urls = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls.filter((u) => u !== '/')).toEqual(expect.arrayContaining([expect.stringMatching(/^\.\/assets\/index-[\w-]+\.js$/)]));
    for (const url of urls.filter((u) => u !== '/')) expect(url).toMatch(/^\.\/assets\//);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('light theme: 209x56, official colours, hover and active, link 8 px below, in Connexion and Inscription', async () => {
    tab = await openPage(browser, { colorScheme: 'light' });
    await gotoPortal(tab.page, portal.portalUrl());
    await expect(tab.page.locator('section#connexion h2').innerText()).resolves.toBe('Connexion');
    await expect(tab.page.locator('section#inscription h2').innerText()).resolves.toBe('Inscription');
    const connexion = await checkSection(tab.page, 'connexion', 'light');
    const inscription = await checkSection(tab.page, 'inscription', 'light');
    recordMeasurement(`button (light): connexion ${connexion.width}x${connexion.height} gap ${connexion.gap}; inscription ${inscription.width}x${inscription.height} gap ${inscription.gap}`);
    await tab.page.mouse.move(0, 0);
    await tab.page.screenshot({ path: screenshotPath('portal-home-light.png'), fullPage: true });
  });

  it('dark theme from prefers-color-scheme: official dark colours and the same geometry', async () => {
    tab = await openPage(browser, { colorScheme: 'dark' });
    await gotoPortal(tab.page, portal.portalUrl());
    const connexion = await checkSection(tab.page, 'connexion', 'dark');
    await checkSection(tab.page, 'inscription', 'dark');
    recordMeasurement(`button (dark): connexion ${connexion.width}x${connexion.height} gap ${connexion.gap}`);
    await tab.page.mouse.move(0, 0);
    await tab.page.screenshot({ path: screenshotPath('portal-home-dark.png'), fullPage: true });
  });

  it('the theme toggle overrides the system preference and is remembered (localStorage)', async () => {
    tab = await openPage(browser, { colorScheme: 'light' });
    await gotoPortal(tab.page, portal.portalUrl());
    const toggle = tab.page.getByRole('button', { name: 'Thème sombre' });
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('false');
    await toggle.click();
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
    await checkSection(tab.page, 'connexion', 'dark');
    await expect(tab.page.evaluate(() => localStorage.getItem('fcplat-portal-theme'))).resolves.toBe('dark');
    await gotoPortal(tab.page, portal.portalUrl());
    await checkSection(tab.page, 'connexion', 'dark');

    // And the other way round: a light choice wins over a dark system.
    await tab.page.emulateMedia({ colorScheme: 'dark' });
    await tab.page.getByRole('button', { name: 'Thème sombre' }).click();
    await checkSection(tab.page, 'inscription', 'light');
    await gotoPortal(tab.page, portal.portalUrl());
    await checkSection(tab.page, 'inscription', 'light');
  });

  it('keeps its ratio when the reader enlarges the text (20 px base: 261x70)', async () => {
    tab = await openPage(browser);
    await gotoPortal(tab.page, portal.portalUrl());
    await tab.page.addStyleTag({ content: 'html { font-size: 20px; }' });
    const b = await box(tab.page.locator('section#connexion a.fc-button'));
    expectButtonSize(b, 20 / 16);
  });

  it('no social login, no iframe, no window.open; the buttons are plain same-window links (FC-07, FC-13)', async () => {
    tab = await openPage(browser);
    await gotoPortal(tab.page, portal.portalUrl());
    const text = await tab.page.locator('body').innerText();
    expect(text).not.toMatch(/google|facebook|apple|microsoft|linkedin|twitter|github|amazon/i);
    await expect(tab.page.locator('iframe, frame, object, embed').count()).resolves.toBe(0);
    // Only the « Qu'est-ce que FranceConnect ? » links open a new window, as FranceConnect asks.
    const blankTargets = await tab.page.locator('a[target="_blank"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(blankTargets).toEqual(['https://franceconnect.gouv.fr/', 'https://franceconnect.gouv.fr/']);

    await tab.page.locator('section#inscription a.fc-button').click();
    await tab.page.waitForURL(/\/auth\/franceconnect\/login\?purpose=signup$/);
    expect(tab.page.context().pages()).toHaveLength(1);
    await gotoPortal(tab.page, portal.portalUrl());
    await tab.page.locator('section#connexion a.fc-button').click();
    await tab.page.waitForURL(`${portal.url}/t/${SLUG}/auth/franceconnect/login?purpose=login`);
    expect(tab.page.context().pages()).toHaveLength(1);
    expect(await tab.windowOpenCalls()).toBe(0);
    expect(portal.state.requests.filter((r) => r.path.includes('/auth/franceconnect/login')).map((r) => r.path)).toEqual([
      `/t/${SLUG}/auth/franceconnect/login?purpose=signup`,
      `/t/${SLUG}/auth/franceconnect/login?purpose=login`,
    ]);
  });

  it('without FranceConnect enabled for the tenant, only the local forms are shown', async () => {
    portal.updateTenant({ connexionEnabled: false });
    tab = await openPage(browser);
    await gotoPortal(tab.page, portal.portalUrl());
    await expect(tab.page.locator('.fc-button').count()).resolves.toBe(0);
    await expect(tab.page.locator('.separator').count()).resolves.toBe(0);
    await expect(tab.page.locator('section#connexion form').count()).resolves.toBe(1);
  });

  it('keyboard: the FranceConnect link is reached with Tab and shows a visible focus', async () => {
    tab = await openPage(browser);
    await gotoPortal(tab.page, portal.portalUrl());
    await tab.page.keyboard.press('Tab');
    expect(await tab.page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Aller au contenu');
    let reached = false;
    for (let i = 0; i < 15 && !reached; i += 1) {
      await tab.page.keyboard.press('Tab');
      reached = await tab.page.evaluate(() => document.activeElement?.classList.contains('fc-button') ?? false);
    }
    expect(reached).toBe(true);
    const focus = await tab.page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const s = getComputedStyle(el);
      return { visible: el.matches(':focus-visible'), outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth), outlineColor: s.outlineColor, purpose: el.dataset['purpose'] };
    });
    expect(focus.purpose).toBe('login');
    expect(focus.visible).toBe(true);
    expect(focus.outlineStyle).not.toBe('none');
    expect(focus.outlineWidth).toBeGreaterThanOrEqual(2);
    // Its colour and size stay as specified while focused.
    const button = tab.page.locator('section#connexion a.fc-button');
    expect(hexOf(await style(button, 'background-color'))).toBe(THEMES.light.background);
    expectButtonSize(await box(button));
    // Enter follows the link in the same window.
    await tab.page.keyboard.press('Enter');
    await tab.page.waitForURL(/purpose=login$/);
  });
});
